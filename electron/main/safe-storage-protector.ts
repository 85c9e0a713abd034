import { safeStorage } from 'electron';
import type { KeyProtector } from '../core/store/signing-key.js';

/**
 * Key protection in the app: the signing key sealed by Electron's `safeStorage`, that is by the
 * operating system's keychain (macOS Keychain, Windows DPAPI, the Secret Service or KWallet on
 * Linux). Where Linux offers no keychain, safeStorage falls back to a fixed password
 * (`basic_text`), which protects nothing: protection is then refused with the reason.
 * The file logic (sealed file, crash-safe switch, checks) is electron/core/store/signing-key.ts.
 */
export const safeStorageProtector: KeyProtector = {
  id: 'electron-safe-storage',
  unavailable: () => {
    if (!safeStorage.isEncryptionAvailable()) {
      return 'the operating system offers no keychain to this app (log in to a desktop session with a keyring)';
    }
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return 'no Secret Service or KWallet keyring is running, and without one the key would be sealed with a fixed password';
    }
    return null;
  },
  seal: (plain) => safeStorage.encryptString(plain.toString('utf8')),
  unseal: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'utf8'),
};
