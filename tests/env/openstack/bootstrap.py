#!/usr/bin/python3
"""Idempotent post-start setup for tests/env/openstack-up.sh (uses Debian's keystoneauth1 only).

  bootstrap.py identity   -> projects, users, roles, services, endpoints
  bootstrap.py resources  -> wait for nova-compute, map host to cell1,
                             flavors, public image, external network
"""
import os
import subprocess
import sys
import time

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

E = os.environ
H = E.get('OSA_H', '127.0.0.1')
KS = 'http://%s:%s/v3' % (H, E.get('OSA_KEYSTONE_PORT', '5000'))


def admin_session():
    auth = v3.Password(auth_url=KS, username='admin',
                       password=E['OSA_ADMIN_PASSWORD'], project_name='admin',
                       user_domain_name='Default',
                       project_domain_name='Default')
    return ks_session.Session(auth=auth)


def ks(s, method, path, **kw):
    r = s.request(KS + path, method, raise_exc=False, **kw)
    if r.status_code >= 400:
        raise SystemExit('%s %s -> %s %s' % (method, path, r.status_code,
                                             r.text[:300]))
    return r.json() if r.text else {}


def find_or_create(s, coll, key, name, body, query=None):
    q = query or ('?name=%s' % name)
    found = ks(s, 'GET', '/%s%s' % (coll, q))[coll]
    if found:
        return found[0]
    return ks(s, 'POST', '/' + coll, json={key: body})[key]


def catalog(s, services, region):
    """Makes each (name, type, url) service with its three endpoints."""
    for name, typ, url in services:
        sv = find_or_create(s, 'services', 'service', name,
                            {'name': name, 'type': typ, 'enabled': True},
                            query='?type=%s' % typ)
        eps = ks(s, 'GET', '/endpoints?service_id=%s' % sv['id'])['endpoints']
        have = {e['interface']: e for e in eps}
        for itf in ('public', 'internal', 'admin'):
            if itf in have:
                if have[itf]['url'] != url:
                    ks(s, 'PATCH', '/endpoints/%s' % have[itf]['id'],
                       json={'endpoint': {'url': url}})
                continue
            ks(s, 'POST', '/endpoints',
               json={'endpoint': {'service_id': sv['id'], 'interface': itf,
                                  'url': url, 'region_id': region}})


def identity():
    s = admin_session()
    dom = 'default'
    svc = find_or_create(s, 'projects', 'project', 'service',
                         {'name': 'service', 'domain_id': dom,
                          'description': 'service users'})
    demo = find_or_create(s, 'projects', 'project', 'demo',
                          {'name': 'demo', 'domain_id': dom,
                           'description': 'acceptance-test tenant'})
    roles = {}
    for rn in ('admin', 'member', 'reader', 'service'):
        roles[rn] = find_or_create(s, 'roles', 'role', rn, {'name': rn})

    def user(name, password, project):
        u = find_or_create(s, 'users', 'user', name,
                           {'name': name, 'domain_id': dom,
                            'password': password,
                            'default_project_id': project['id']})
        # make re-runs converge on the configured password
        ks(s, 'PATCH', '/users/%s' % u['id'],
           json={'user': {'password': password}})
        return u

    for name in ('nova', 'neutron', 'glance', 'placement', 'cinder'):
        u = user(name, E['OSA_SERVICE_PASSWORD'], svc)
        for rn in ('admin', 'service'):
            ks(s, 'PUT', '/projects/%s/users/%s/roles/%s'
               % (svc['id'], u['id'], roles[rn]['id']))
    du = user('demo', E['OSA_DEMO_PASSWORD'], demo)
    for rn in ('member', 'reader'):
        ks(s, 'PUT', '/projects/%s/users/%s/roles/%s'
           % (demo['id'], du['id'], roles[rn]['id']))

    region = E['OSA_REGION']
    services = [
        ('nova', 'compute', 'http://%s:%s/v2.1' % (H, E['OSA_NOVA_PORT'])),
        ('placement', 'placement',
         'http://%s:%s' % (H, E['OSA_PLACEMENT_PORT'])),
        ('glance', 'image', 'http://%s:%s' % (H, E['OSA_GLANCE_PORT'])),
        ('neutron', 'network', 'http://%s:%s' % (H, E['OSA_NEUTRON_PORT'])),
        ('cinderv3', 'volumev3',
         'http://%s:%s/v3/%%(project_id)s' % (H, E['OSA_CINDER_PORT'])),
        ('cinder', 'block-storage',
         'http://%s:%s/v3/%%(project_id)s' % (H, E['OSA_CINDER_PORT'])),
    ]
    catalog(s, services, region)
    print('identity: service/demo projects, users, roles and catalog ready')


def call(s, service_type, method, path, ok=(200, 201, 202, 204), **kw):
    r = s.request(path, method, endpoint_filter={'service_type': service_type,
                                                 'interface': 'public'},
                  raise_exc=False, **kw)
    if r.status_code not in ok:
        raise SystemExit('%s %s %s -> %s %s' % (service_type, method, path,
                                                r.status_code, r.text[:400]))
    return r


def resources():
    s = admin_session()
    nova_hdr = {'OpenStack-API-Version': 'compute 2.79'}
    # 1. wait for nova-compute to be up, then map it into cell1
    deadline = time.time() + 240
    while True:
        svcs = call(s, 'compute', 'GET', '/os-services?binary=nova-compute',
                    headers=nova_hdr).json()['services']
        # a record left by a previous run can still read "up": insist on a
        # heartbeat newer than this run's start of nova-compute
        since = E.get('OSA_COMPUTE_STARTED', '')
        if any(x['state'] == 'up' and (x['updated_at'] or '') >= since
               for x in svcs):
            break
        if time.time() > deadline:
            raise SystemExit('nova-compute never reported up')
        time.sleep(2)
    while True:
        hv = call(s, 'compute', 'GET', '/os-hypervisors',
                  headers=nova_hdr).json()['hypervisors']
        if not hv:
            subprocess.run(['nova-manage', '--config-file',
                            E['OSA_NOVA_CONF'], 'cell_v2', 'discover_hosts'],
                           check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            continue
        # resource provider must exist in placement too
        rps = call(s, 'placement', 'GET', '/resource_providers').json()
        if hv and rps['resource_providers']:
            break
        if time.time() > deadline:
            raise SystemExit('hypervisor / resource provider never appeared')
        time.sleep(2)
    print('compute: %d hypervisor(s), %d resource provider(s)'
          % (len(hv), len(rps['resource_providers'])))

    # 2. flavors
    have = {f['name'] for f in call(s, 'compute', 'GET', '/flavors',
                                    headers=nova_hdr).json()['flavors']}
    for fid, name, ram, vcpus, disk in (('1', 'm1.nano', 128, 1, 1),
                                        ('2', 'm1.tiny', 512, 1, 1),
                                        ('3', 'm1.small', 2048, 1, 20)):
        if name not in have:
            call(s, 'compute', 'POST', '/flavors', headers=nova_hdr,
                 json={'flavor': {'id': fid, 'name': name, 'ram': ram,
                                  'vcpus': vcpus, 'disk': disk}})

    # 3. a public image with a few bytes of data (status must be "active"
    #    for nova to boot from it)
    imgs = call(s, 'image', 'GET', '/v2/images?name=cirros-fake').json()
    img = next((i for i in imgs['images'] if i['status'] == 'active'), None)
    if img is None:
        for i in imgs['images']:
            call(s, 'image', 'DELETE', '/v2/images/%s' % i['id'])
        img = call(s, 'image', 'POST', '/v2/images',
                   json={'name': 'cirros-fake', 'disk_format': 'raw',
                         'container_format': 'bare',
                         'visibility': 'public'}).json()
        call(s, 'image', 'PUT', '/v2/images/%s/file' % img['id'],
             headers={'Content-Type': 'application/octet-stream'},
             data=b'not a real disk image\n')
    print('image: cirros-fake %s' % img['id'])

    # 4. external network for floating IPs (TEST-NET-1, never routed)
    nets = call(s, 'network', 'GET', '/v2.0/networks?name=public').json()
    if nets['networks']:
        net = nets['networks'][0]
    else:
        net = call(s, 'network', 'POST', '/v2.0/networks', json={'network': {
            'name': 'public', 'router:external': True, 'shared': False,
            'provider:network_type': 'flat',
            'provider:physical_network': 'public'}}).json()['network']
    if not net['subnets']:
        call(s, 'network', 'POST', '/v2.0/subnets', json={'subnet': {
            'name': 'public-subnet', 'network_id': net['id'],
            'ip_version': 4, 'cidr': '192.0.2.0/24',
            'gateway_ip': '192.0.2.1', 'enable_dhcp': False,
            'allocation_pools': [{'start': '192.0.2.100',
                                  'end': '192.0.2.250'}]}})
    print('network: public %s' % net['id'])

    # 5. cinder-volume reports its backend to the scheduler
    while True:
        svcs = call(s, 'volumev3', 'GET', '/os-services').json()['services']
        if any(x['binary'] == 'cinder-volume' and x['state'] == 'up'
               for x in svcs):
            break
        if time.time() > deadline:
            raise SystemExit('cinder-volume never reported up')
        time.sleep(2)
    print('volume: cinder-volume up')


if __name__ == '__main__':
    {'identity': identity, 'resources': resources}[sys.argv[1]]()
