import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_BASE,
  APP_CSP,
  APP_ENTRY,
  isOwnAddress,
  REPLAY_BASE,
  resolveAppFile,
} from '../../electron/main/app-address.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

describe('the app window page served from the custos-app scheme', () => {
  let base: string;
  let rendererDir: string;

  beforeAll(() => {
    base = makeTempDir('custos-app-files-');
    rendererDir = path.join(base, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), '');
    fs.writeFileSync(path.join(base, 'secret.js'), 'globalThis.stolen = true');
  });

  afterAll(() => removeTempDir(base));

  it('serves the entry page and the files beside it with their media types', () => {
    expect(resolveAppFile(APP_ENTRY.href, rendererDir)).toEqual({
      ok: true,
      file: path.join(rendererDir, 'index.html'),
      mediaType: 'text/html; charset=utf-8',
    });
    expect(resolveAppFile(`${APP_BASE.href}`, rendererDir)).toMatchObject({
      ok: true,
      file: path.join(rendererDir, 'index.html'),
    });
    expect(resolveAppFile(new URL('assets/app.js?v=1', APP_BASE).href, rendererDir)).toMatchObject({
      ok: true,
      mediaType: 'text/javascript; charset=utf-8',
    });
  });

  it.each([
    'custos-app://app/..%2fsecret.js',
    'custos-app://app/..%5csecret.js',
    'custos-app://app/assets%5c..%5c..%5csecret.js',
    'custos-app://app/index.html%00.js',
    'custos-app://app/%2fetc%2fpasswd',
  ])('refuses %s, which would leave the renderer folder', (address) => {
    const answer = resolveAppFile(address, rendererDir);
    expect(answer.ok).toBe(false);
    expect(answer).not.toHaveProperty('file');
  });

  it('keeps dot segments the URL parser resolves inside the renderer folder', () => {
    for (const address of [
      'custos-app://app/%2e%2e/secret.js',
      'custos-app://app/assets/%2E%2E/%2E%2E/secret.js',
    ]) {
      expect(resolveAppFile(address, rendererDir)).toMatchObject({
        file: path.join(rendererDir, 'secret.js'),
      });
    }
  });

  it('refuses another host on the scheme, another scheme, and files it does not serve', () => {
    expect(resolveAppFile('custos-app://other/index.html', rendererDir)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveAppFile('file:///etc/passwd', rendererDir)).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppFile('custos-app://app/notes.txt', rendererDir)).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(resolveAppFile('custos-app://app/%E0%A4%A', rendererDir)).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});

describe('the app window’s session and its replays', () => {
  it('lets the app’s page and its replays load, and nothing from the network', () => {
    for (const own of [
      APP_ENTRY.href,
      `${REPLAY_BASE.href}w/item-1/20260512191403mp_/https://example.org/post`,
      'data:image/png;base64,AAAA',
      'blob:custos-app://app/6f1c2b7e',
    ]) {
      expect(isOwnAddress(own)).toBe(true);
    }
    for (const away of [
      'https://example.org/post',
      'http://127.0.0.1:8080/',
      'wss://example.org/live',
      'ws://localhost/',
      'ftp://example.org/',
      'file:///etc/passwd',
      'not an address',
    ]) {
      expect(isOwnAddress(away)).toBe(false);
    }
  });

  it('lets the page frame the replay origin and nothing else, in its header and in its meta tag alike', () => {
    const frameSources = (policy: string) => /frame-src ([^;]+)/.exec(policy)?.[1];
    expect(frameSources(APP_CSP)).toBe('custos-replay://replay');
    const page = fs.readFileSync(
      path.join(import.meta.dirname, '..', '..', 'renderer', 'index.html'),
      'utf8',
    );
    expect(frameSources(page)).toBe('custos-replay://replay');
  });
});
