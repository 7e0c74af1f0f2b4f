/** A small deterministic PRNG (mulberry32): the same seed gives the same ids and throttling decisions. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Deterministic AWS-shaped identifiers. IAM unique ids are a 4-letter type prefix plus
 * 17 upper-case alphanumerics (AIDA… users, AROA… roles, AGPA… groups, ANPA… policies).
 */
export class IdGenerator {
  private readonly prng: Prng;
  private readonly issued = new Set<string>();

  constructor(seed = 20100508) {
    this.prng = new Prng(seed);
  }

  private unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }

  uniqueId(prefix: 'AIDA' | 'AROA' | 'AGPA' | 'ANPA' | 'ACCA'): string {
    return this.unique(() => prefix + this.prng.chars(UPPER_ALNUM, 17));
  }

  /** AKIA + 16 characters (20 in all), like a long-term access key id. */
  accessKeyId(): string {
    return this.unique(() => 'AKIA' + this.prng.chars(UPPER_ALNUM, 16));
  }

  /** APKA + 16 characters, like an SSH public key id. */
  sshPublicKeyId(): string {
    return this.unique(() => 'APKA' + this.prng.chars(UPPER_ALNUM, 16));
  }

  /** 24 upper-case alphanumerics, like a signing certificate id. */
  certificateId(): string {
    return this.unique(() => this.prng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 24));
  }

  /** Base32 text, like a virtual MFA device seed. */
  base32(length: number): string {
    return this.prng.chars(UPPER_ALNUM, length);
  }
}
