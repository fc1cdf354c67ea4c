#!/usr/bin/python3
"""Idempotent setup for tests/env/openstack-dns-share-up.sh (bootstrap.py's helpers).

  dns_share.py identity   -> designate and manila users, services, endpoints
  dns_share.py resources  -> wait for manila-share, share type "default"
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bootstrap import admin_session, call, catalog, find_or_create, ks  # noqa: E402,E501

E = os.environ
H = E.get('OSA_H', '127.0.0.1')
MANILA_HDR = {'X-OpenStack-Manila-API-Version': '2.65'}


def identity():
    s = admin_session()
    svc = find_or_create(s, 'projects', 'project', 'service', {})
    roles = {rn: find_or_create(s, 'roles', 'role', rn, {'name': rn})
             for rn in ('admin', 'service')}
    for name in ('designate', 'manila'):
        u = find_or_create(s, 'users', 'user', name,
                           {'name': name, 'domain_id': 'default',
                            'password': E['OSA_SERVICE_PASSWORD'],
                            'default_project_id': svc['id']})
        ks(s, 'PATCH', '/users/%s' % u['id'],
           json={'user': {'password': E['OSA_SERVICE_PASSWORD']}})
        for r in roles.values():
            ks(s, 'PUT', '/projects/%s/users/%s/roles/%s'
               % (svc['id'], u['id'], r['id']))
    services = [
        ('designate', 'dns', 'http://%s:%s/' % (H, E['OSA_DESIGNATE_PORT'])),
        ('manilav2', 'sharev2', 'http://%s:%s/v2' % (H, E['OSA_MANILA_PORT'])),
        ('manila', 'share',
         'http://%s:%s/v1/%%(project_id)s' % (H, E['OSA_MANILA_PORT'])),
    ]
    catalog(s, services, E['OSA_REGION'])
    print('identity: designate and manila users, services and endpoints ready')


def resources():
    s = admin_session()
    deadline = time.time() + 180
    while True:
        svcs = call(s, 'sharev2', 'GET', '/services?binary=manila-share',
                    headers=MANILA_HDR).json()['services']
        if any(x['state'] == 'up' and x['status'] == 'enabled' for x in svcs):
            break
        if time.time() > deadline:
            raise SystemExit('manila-share never reported up')
        time.sleep(1)
    types = call(s, 'sharev2', 'GET', '/types?is_public=all',
                 headers=MANILA_HDR).json()['share_types']
    if not any(t['name'] == 'default' for t in types):
        call(s, 'sharev2', 'POST', '/types', headers=MANILA_HDR,
             json={'share_type': {
                 'name': 'default', 'share_type_access:is_public': True,
                 'extra_specs': {'driver_handles_share_servers': False}}})
    while True:
        pools = call(s, 'sharev2', 'GET', '/scheduler-stats/pools',
                     headers=MANILA_HDR).json()['pools']
        if pools:
            break
        if time.time() > deadline:
            raise SystemExit('manila-share reported no pool to the scheduler')
        time.sleep(1)
    pools = call(s, 'dns', 'GET', '/v2/pools').json()['pools']
    if not any(p['name'] == 'default' for p in pools):
        raise SystemExit('designate has no pool "default"')
    print('resources: manila-share up, share type "default", designate pool '
          '"default"')


if __name__ == '__main__':
    {'identity': identity, 'resources': resources}[sys.argv[1]]()
