"""An independent reader and writer of keyrings.cryptfile files, written from the
format description with Debian's python3-argon2 and python3-pycryptodome.

    cryptfile_peer.py read FILE PASSWORD SERVICE USERNAME   -> prints the value (UTF-8)
    cryptfile_peer.py write FILE PASSWORD SERVICE USERNAME VALUE
    cryptfile_peer.py check FILE PASSWORD                   -> verifies the password reference
"""
import base64
import configparser
import json
import os
import sys

from argon2.low_level import Type, hash_secret_raw
from Cryptodome.Cipher import AES


def escape(value):
    legal = set(b'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
    return ''.join(chr(c) if c in legal else '_%02X' % c for c in value.encode('utf-8'))


def key(password, salt):
    return hash_secret_raw(password.encode('utf-8'), salt, time_cost=15, memory_cost=65536,
                           parallelism=2, hash_len=16, type=Type.ID, version=19)


def joiner(version):
    parts = [int(p) for p in version.split('.')[:3]]
    return b'\\0' if parts[:2] == [1, 3] and 6 <= parts[2] <= 8 else b'\0'


def read(path, password, service, username):
    config = configparser.RawConfigParser()
    config.read(path, encoding='utf-8')
    version = config.get('keyring_2Dsetting', 'version')
    payload = json.loads(base64.decodebytes(config.get(escape(service), escape(username)).encode()))
    fields = {k: base64.decodebytes(v.encode()) for k, v in payload.items()}
    cipher = AES.new(key(password, fields['salt']), AES.MODE_GCM, nonce=fields['nonce'])
    cipher.update(escape(service).encode() + joiner(version) + escape(username).encode())
    return cipher.decrypt_and_verify(fields['data'], fields['mac']).decode('utf-8')


def write(path, password, service, username, value):
    config = configparser.RawConfigParser()
    if os.path.exists(path):
        config.read(path, encoding='utf-8')
    if not config.has_section('keyring_2Dsetting'):
        config.add_section('keyring_2Dsetting')
        config.set('keyring_2Dsetting', 'password_20reference',
                   seal(password, 'keyring-setting', 'password reference', 'password reference value'))
        config.set('keyring_2Dsetting', 'scheme', '[Argon2] AES128.GCM')
        config.set('keyring_2Dsetting', 'version', '1.3.9')
    if not config.has_section(escape(service)):
        config.add_section(escape(service))
    config.set(escape(service), escape(username), seal(password, service, username, value))
    with open(path, 'w', encoding='utf-8') as out:
        config.write(out)


def seal(password, service, username, value):
    salt = os.urandom(16)
    cipher = AES.new(key(password, salt), AES.MODE_GCM, nonce=os.urandom(16))
    cipher.update(escape(service).encode() + b'\0' + escape(username).encode())
    data, mac = cipher.encrypt_and_digest(value.encode('utf-8'))
    fields = dict(salt=salt, data=data, mac=mac, nonce=cipher.nonce)
    payload = json.dumps({k: base64.encodebytes(v).decode()[:-1] for k, v in fields.items()})
    return '\n' + base64.encodebytes(payload.encode()).decode()


if __name__ == '__main__':
    command = sys.argv[1]
    if command == 'read':
        sys.stdout.buffer.write(read(*sys.argv[2:6]).encode('utf-8'))
    elif command == 'write':
        write(*sys.argv[2:7])
    elif command == 'check':
        assert read(sys.argv[2], sys.argv[3], 'keyring-setting', 'password reference') == 'password reference value'
        print('ok')
