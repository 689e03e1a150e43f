/**
 * Which keys name secrets, and what is scrubbed from published texts: a bind address under
 * `private_address` is network plan, not a secret, and an address is never scrubbed from the
 * pages that exist to show it, even where a secret-looking key holds it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, makeRedactor } from '../../src/publish/redact.js';

describe('makeRedactor', () => {
  it('takes private_key for a secret and private_address for an address', () => {
    const r = makeRedactor();
    expect(r.isSecretKey('private_key')).toBe(true);
    expect(r.isSecretKey('admin_password')).toBe(true);
    expect(r.isSecretKey('private_address')).toBe(false);
    expect(r.value(['nova', 'controller', 'bind', 'private_address'], '10.11.1.11')).toBe('10.11.1.11');
  });

  it('redacts an address under a secret key, yet leaves addresses in texts', () => {
    const r = makeRedactor(['community']);
    r.collect({ snmp: { community: 'pubCommunity77', secret_host: '10.0.0.2', secret_net: '10.0.0.0/24' } });
    expect(r.value(['snmp', 'secret_host'], '10.0.0.2')).toBe(REDACTED);
    expect(r.text('host 10.0.0.2 on 10.0.0.0/24, community pubCommunity77')).toBe(
      `host 10.0.0.2 on 10.0.0.0/24, community ${REDACTED}`,
    );
  });

  it('scrubs every secret out of any text that strings secrets and other words together', () => {
    const secret = fc.stringMatching(/^[a-f]{6,12}$/);
    const filler = fc.stringMatching(/^[g-z .:/-]{0,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(secret, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(filler, fc.nat()), { maxLength: 12 }),
        (secrets, pieces) => {
          const r = makeRedactor();
          r.collect({ db: Object.fromEntries(secrets.map((v, i) => [`password${i}`, v])) });
          // Fillers share no letter with secrets, and a secret always ends in a filler or the
          // end: where secrets sit side by side the longest is replaced first, as below.
          const text = pieces.map(([fill, n]) => `${fill}${secrets[n % secrets.length]}|`).join('');
          const expected = pieces.map(([fill]) => `${fill}${REDACTED}|`).join('');
          expect(r.text(text)).toBe(expected);
          expect(r.text(text)).toBe(expected); // and the same when remembered
        },
      ),
    );
  });
});
