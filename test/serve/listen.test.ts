// Where `serve` may listen: loopback unless told otherwise, and nothing malformed.
import { describe, expect, it } from 'vitest';
import { isLoopback, parseListen } from '../../src/serve/listen.js';

describe('parseListen', () => {
  it('takes loopback addresses, the default included', () => {
    expect(parseListen(undefined, undefined, false)).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8180 });
    expect(parseListen('127.0.0.2:9000', undefined, false)).toEqual({ kind: 'tcp', host: '127.0.0.2', port: 9000 });
    expect(parseListen('[::1]:0', undefined, false)).toEqual({ kind: 'tcp', host: '::1', port: 0 });
    expect(parseListen('localhost:80', undefined, false)).toEqual({ kind: 'tcp', host: 'localhost', port: 80 });
    expect(parseListen(undefined, '/run/reclass-net.sock', false)).toEqual({
      kind: 'unix',
      path: '/run/reclass-net.sock',
    });
  });

  it('refuses any other address without --allow-remote, and takes it with', () => {
    for (const addr of ['0.0.0.0:8180', '[::]:8180', '10.0.0.1:80', 'example.org:80', '127.0.0.1.evil.org:80']) {
      expect(() => parseListen(addr, undefined, false), addr).toThrow(/refusing to listen/);
    }
    expect(parseListen('0.0.0.0:8180', undefined, true)).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 8180 });
  });

  it('refuses malformed addresses and both forms at once', () => {
    for (const addr of ['127.0.0.1', ':80', '127.0.0.1:99999', '127.0.0.1:x', '::1:80', '']) {
      expect(() => parseListen(addr, undefined, false), addr).toThrow(/UsageError/);
    }
    expect(() => parseListen('127.0.0.1:1', '/tmp/s', false)).toThrow(/not both/);
  });

  it('knows loopback from not', () => {
    expect(['127.0.0.1', '127.255.0.9', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['128.0.0.1', '0.0.0.0', '::', '::ffff:10.0.0.1', '127.example'].some(isLoopback)).toBe(false);
  });
});
