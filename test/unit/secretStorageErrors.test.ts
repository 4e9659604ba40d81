import * as assert from 'node:assert/strict';
import { classifySecretStorageError } from '../../src/core/secretStorageErrors';

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('core/secretStorageErrors', () => {
  describe('classifySecretStorageError', () => {
    describe('keyringUnavailable', () => {
      for (const message of [
        'The name org.freedesktop.secrets was not provided by any .service files',
        'org.freedesktop.Secret.Error.IsLocked: Cannot create an item in a locked collection',
        'Cannot create an item in a locked collection',
        'libsecret-1.so.0: cannot open shared object file: No such file or directory',
        'Failed to read from libsecret',
        'GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable',
        'DBus connection failed',
        'No such interface “org.freedesktop.Secret.Collection” on object at path /',
        'gnome-keyring-daemon is not running',
        'The Secret Service is not available',
        'Keychain access denied',
        'Encryption is not available.',
        'safeStorage cannot be used before the app is ready',
      ]) {
        it(JSON.stringify(message), () => {
          assert.equal(classifySecretStorageError(new Error(message)), 'keyringUnavailable');
        });
      }

      it('matches regardless of case', () => {
        assert.equal(classifySecretStorageError(new Error('LIBSECRET FAILED')), 'keyringUnavailable');
        assert.equal(classifySecretStorageError(new Error('dbus error')), 'keyringUnavailable');
        assert.equal(classifySecretStorageError(new Error('KEYRING LOCKED')), 'keyringUnavailable');
      });

      it('looks at the error name as well as the message', () => {
        assert.equal(classifySecretStorageError(named('DBusError', 'operation failed')), 'keyringUnavailable');
        assert.equal(classifySecretStorageError(named('KeyringError', '')), 'keyringUnavailable');
      });

      it('classifies a headless-Linux D-Bus autolaunch failure (spelled "D-Bus")', () => {
        // libsecret's common error when no session bus is available.
        assert.equal(classifySecretStorageError(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')), 'keyringUnavailable');
      });
    });

    describe('decryptionFailed', () => {
      for (const message of [
        'Failed to decrypt the stored secret',
        'Decryption failed',
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
        'invalid ciphertext',
        'bad MAC',
        'Unsupported state: authentication tag mismatch',
      ]) {
        it(JSON.stringify(message), () => {
          assert.equal(classifySecretStorageError(new Error(message)), 'decryptionFailed');
        });
      }

      it('wins over keyring hints in the same message', () => {
        assert.equal(classifySecretStorageError(new Error('keyring: could not decrypt item')), 'decryptionFailed');
        assert.equal(classifySecretStorageError(new Error('safeStorage: bad mac')), 'decryptionFailed');
      });

      it('looks at the error name', () => {
        assert.equal(classifySecretStorageError(named('DecryptionError', 'oops')), 'decryptionFailed');
      });
    });

    describe('unknown', () => {
      for (const message of ['', 'Something went wrong', 'ENOENT: no such file or directory', 'timeout', 'Canceled']) {
        it(`Error ${JSON.stringify(message)}`, () => {
          assert.equal(classifySecretStorageError(new Error(message)), 'unknown');
        });
      }

      it('Error subclasses without hints', () => {
        assert.equal(classifySecretStorageError(new TypeError('x is not a function')), 'unknown');
        assert.equal(classifySecretStorageError(new RangeError('out of range')), 'unknown');
      });
    });

    describe('non-Error values', () => {
      it('classifies a thrown string by its text', () => {
        assert.equal(classifySecretStorageError('libsecret unavailable'), 'keyringUnavailable');
        assert.equal(classifySecretStorageError('could not decrypt'), 'decryptionFailed');
        assert.equal(classifySecretStorageError('nope'), 'unknown');
      });

      it('undefined, null, numbers, booleans, symbols', () => {
        assert.equal(classifySecretStorageError(undefined), 'unknown');
        assert.equal(classifySecretStorageError(null), 'unknown');
        assert.equal(classifySecretStorageError(0), 'unknown');
        assert.equal(classifySecretStorageError(42), 'unknown');
        assert.equal(classifySecretStorageError(false), 'unknown');
        assert.equal(classifySecretStorageError(Symbol('keyring')), 'keyringUnavailable');
      });

      it('a plain object uses its string form', () => {
        assert.equal(classifySecretStorageError({}), 'unknown');
        assert.equal(classifySecretStorageError({ toString: () => 'keyring is locked' }), 'keyringUnavailable');
        assert.equal(classifySecretStorageError([]), 'unknown');
      });

      it('an object without a prototype does not make the classifier throw', () => {
        const bare: unknown = Object.create(null);
        assert.equal(classifySecretStorageError(bare), 'unknown');
      });
    });
  });
});

describe('core/secretStorageErrors: gnome-keyring object paths', () => {
  it('recognises the slash form of the secrets service path', () => {
    assert.equal(
      classifySecretStorageError(new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”')),
      'keyringUnavailable',
    );
  });
});
