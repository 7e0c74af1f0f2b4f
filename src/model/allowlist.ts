/**
 * The validated, defaults-applied form of allowlist.yaml (version 1).
 * Produced only by src/allowlist/load.ts; everything downstream may trust it.
 */

export type UndeclaredAction = 'delete' | 'quarantine' | 'report';
export type InactiveAction = 'report' | 'quarantine';
export type KmsGuardMode = 'block' | 'hold';
export type RecentlyActiveMode = 'hold' | 'quarantine';
export type UnscannedRegionsMode = 'hold' | 'allow';

export interface Allowlist {
  readonly version: 1;
  /** 12-digit account id; when set, the tool refuses to run against any other account. */
  readonly account: string | null;
  readonly defaults: AllowlistDefaults;
  readonly guards: GuardSettings;
  /**
   * Thresholds of the report-only hygiene findings. Always set by the loader; optional only so that allowlists built
   * in code (tests, the benchmark) need not spell it out: absent means the documented defaults.
   */
  readonly hygiene?: HygieneSettings;
  readonly users: readonly DeclaredUser[];
  readonly exceptions: readonly ExceptionEntry[];
  /** Where it was loaded from, for messages. */
  readonly sourceFile: string | null;
}

export interface AllowlistDefaults {
  /** What happens to an undeclared user. Default "delete". */
  readonly action: UndeclaredAction;
  /** Declared users unused this long are flagged inactive. Default null (off). */
  readonly inactiveAfterDays: number | null;
  /** What happens to an inactive declared user. Default "report". */
  readonly onInactive: InactiveAction;
  /** More planned removals than this and the run removes nothing. Default 10. */
  readonly maxRemovalsPerRun: number;
  /** A never-used user younger than this is not called "unused". Default 7. */
  readonly unusedGraceDays: number;
}

/** Default of guards.recheckMaxAgeSeconds. */
export const DEFAULT_RECHECK_MAX_AGE_SECONDS = 60;

export interface GuardSettings {
  /** A KMS reference: "block" fails the run's Terraform precondition, "hold" leaves the user out. Default "block". */
  readonly kms: KmsGuardMode;
  /** "all" regions enabled for the account, or an explicit list. Default "all". */
  readonly regions: 'all' | readonly string[];
  /**
   * Enabled regions outside a `regions` list (or a region list that cannot be read): "hold" holds every
   * removal (scan-incomplete), "allow" accepts the gap and only names it in the plan's notices. Default "hold".
   */
  readonly unscannedRegions: UnscannedRegionsMode;
  /** Undeclared users used within this many days are not deleted. Default 7. */
  readonly recentlyActiveDays: number;
  /** What happens instead to a recently active undeclared user. Default "hold". */
  readonly recentlyActive: RecentlyActiveMode;
  /** An allowlist with no users is refused unless true. Default false. */
  readonly allowEmpty: boolean;
  /**
   * Before each user's first change, the guards are evaluated on an account scan at most this many
   * seconds old (taken again when older). Unset: DEFAULT_RECHECK_MAX_AGE_SECONDS (60). Minimum 1.
   */
  readonly recheckMaxAgeSeconds?: number;
}

export interface HygieneSettings {
  /** An active access key not rotated for more than this many days is reported (access-key-old). Default 90. */
  readonly accessKeyMaxAgeDays: number;
  /** A never-used active access key older than this many days is reported (access-key-unused). Default: defaults.unusedGraceDays. */
  readonly unusedAccessKeyGraceDays: number;
}

export interface DeclaredUser {
  readonly name: string;
  /** Default "/". */
  readonly path: string;
  readonly owner: string;
  readonly reason: string;
  /** YYYY-MM-DD; from the day after, the user counts as undeclared. */
  readonly expires: string | null;
  /** Overrides defaults.action once this entry has expired. */
  readonly action: UndeclaredAction | null;
  /** Overrides defaults.inactiveAfterDays. */
  readonly inactiveAfterDays: number | null;
  /** Never flagged inactive, never quarantined (break-glass users). */
  readonly protect: boolean;
  /** 1-based line in the source file, for messages. */
  readonly line: number | null;
}

/** A user kept temporarily although it is not part of the allowlist proper. */
export interface ExceptionEntry {
  readonly name: string;
  /** null: any path. */
  readonly path: string | null;
  readonly owner: string;
  readonly reason: string;
  /** YYYY-MM-DD, required. */
  readonly expires: string;
  readonly line: number | null;
}
