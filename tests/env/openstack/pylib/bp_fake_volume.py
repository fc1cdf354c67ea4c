"""Cinder volume driver for the blueprint test OpenStack: no storage at all.

Volumes, snapshots and attachments exist only in Cinder's database: create,
delete, extend and export succeed at once, and a connection is a 'local'
device (/dev/null), which Nova's fake virt driver attaches without touching
it. Nothing on the machine changes (no LVM, no loop device, no iSCSI).
Loaded by cinder-volume only (this directory is on its PYTHONPATH):
  volume_driver = bp_fake_volume.FakeVolumeDriver
"""
from cinder.volume import driver


class FakeVolumeDriver(driver.VolumeDriver):
    VERSION = '1.0'
    CI_WIKI_NAME = 'none'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stats = {}

    def do_setup(self, context):
        pass

    def check_for_setup_error(self):
        pass

    def create_volume(self, volume):
        return {}

    def delete_volume(self, volume):
        pass

    def create_snapshot(self, snapshot):
        pass

    def delete_snapshot(self, snapshot):
        pass

    def create_volume_from_snapshot(self, volume, snapshot):
        return {}

    def create_cloned_volume(self, volume, src_vref):
        return {}

    def extend_volume(self, volume, new_size):
        pass

    def ensure_export(self, context, volume):
        pass

    def create_export(self, context, volume, connector):
        return {}

    def remove_export(self, context, volume):
        pass

    def initialize_connection(self, volume, connector):
        return {'driver_volume_type': 'local',
                'data': {'device_path': '/dev/null'}}

    def terminate_connection(self, volume, connector, **kwargs):
        pass

    def copy_image_to_volume(self, context, volume, image_service, image_id,
                             disable_sparse=False):
        pass

    def copy_volume_to_image(self, context, volume, image_service,
                             image_meta):
        pass

    def get_volume_stats(self, refresh=False):
        if refresh or not self._stats:
            name = self.configuration.safe_get('volume_backend_name')
            self._stats = {
                'volume_backend_name': name or 'bpfake',
                'vendor_name': 'blueprint tests',
                'driver_version': self.VERSION,
                'storage_protocol': 'local',
                'total_capacity_gb': 'infinite',
                'free_capacity_gb': 'infinite',
                'reserved_percentage': 0,
                'thin_provisioning_support': True,
                'multiattach': True,
            }
        return self._stats
