import type {
  Allowlist,
  AllowlistDefaults,
  DeclaredUser,
  ExceptionEntry,
  GuardSettings,
  HygieneSettings,
  InactiveAction,
  KmsGuardMode,
  RecentlyActiveMode,
  UndeclaredAction,
  UnscannedRegionsMode,
} from '../model/allowlist';
import { DEFAULT_RECHECK_MAX_AGE_SECONDS } from '../model/allowlist';
import { isRecord } from './data-path';
import type { YamlSource } from './yaml-source';

/**
 * Defaults of every optional setting, as documented in src/model/allowlist.ts and the schema.
 * `hygiene.unusedAccessKeyGraceDays` has none of its own: it defaults to the allowlist's defaults.unusedGraceDays.
 */
export const DEFAULT_SETTINGS: {
  readonly defaults: AllowlistDefaults;
  readonly guards: GuardSettings;
  readonly hygiene: Omit<HygieneSettings, 'unusedAccessKeyGraceDays'>;
} = {
  defaults: { action: 'delete', inactiveAfterDays: null, onInactive: 'report', maxRemovalsPerRun: 10, unusedGraceDays: 7 },
  guards: {
    kms: 'block',
    regions: 'all',
    unscannedRegions: 'hold',
    recentlyActiveDays: 7,
    recentlyActive: 'hold',
    allowEmpty: false,
    recheckMaxAgeSeconds: DEFAULT_RECHECK_MAX_AGE_SECONDS,
  },
  hygiene: { accessKeyMaxAgeDays: 90 },
};

/** The hygiene thresholds of an allowlist, defaults applied (also for allowlists built in code without them). */
export function hygieneSettings(
  defaults: Pick<AllowlistDefaults, 'unusedGraceDays'>,
  hygiene: Partial<HygieneSettings> | undefined,
): HygieneSettings {
  return {
    accessKeyMaxAgeDays: hygiene?.accessKeyMaxAgeDays ?? DEFAULT_SETTINGS.hygiene.accessKeyMaxAgeDays,
    unusedAccessKeyGraceDays: hygiene?.unusedAccessKeyGraceDays ?? defaults.unusedGraceDays,
  };
}

/**
 * Builds the Allowlist from data that passed the schema and every check. Only called then,
 * so the casts below restate what the schema has already proven.
 */
export function toAllowlist(data: Record<string, unknown>, source: YamlSource, file: string): Allowlist {
  const defaults = isRecord(data['defaults']) ? data['defaults'] : {};
  const guards = isRecord(data['guards']) ? data['guards'] : {};
  const hygiene = isRecord(data['hygiene']) ? data['hygiene'] : {};
  const base = DEFAULT_SETTINGS;
  const users = Array.isArray(data['users']) ? data['users'] : [];
  const exceptions = Array.isArray(data['exceptions']) ? data['exceptions'] : [];
  const unusedGraceDays = (defaults['unusedGraceDays'] as number | undefined) ?? base.defaults.unusedGraceDays;
  return {
    version: 1,
    account: typeof data['account'] === 'string' ? data['account'] : null,
    defaults: {
      action: (defaults['action'] as UndeclaredAction | undefined) ?? base.defaults.action,
      inactiveAfterDays:
        defaults['inactiveAfterDays'] === undefined ? base.defaults.inactiveAfterDays : (defaults['inactiveAfterDays'] as number | null),
      onInactive: (defaults['onInactive'] as InactiveAction | undefined) ?? base.defaults.onInactive,
      maxRemovalsPerRun: (defaults['maxRemovalsPerRun'] as number | undefined) ?? base.defaults.maxRemovalsPerRun,
      unusedGraceDays,
    },
    guards: {
      kms: (guards['kms'] as KmsGuardMode | undefined) ?? base.guards.kms,
      regions: Array.isArray(guards['regions']) ? [...(guards['regions'] as string[])] : base.guards.regions,
      unscannedRegions: (guards['unscannedRegions'] as UnscannedRegionsMode | undefined) ?? base.guards.unscannedRegions,
      recentlyActiveDays: (guards['recentlyActiveDays'] as number | undefined) ?? base.guards.recentlyActiveDays,
      recentlyActive: (guards['recentlyActive'] as RecentlyActiveMode | undefined) ?? base.guards.recentlyActive,
      allowEmpty: (guards['allowEmpty'] as boolean | undefined) ?? base.guards.allowEmpty,
      ...(guards['recheckMaxAgeSeconds'] === undefined ? {} : { recheckMaxAgeSeconds: guards['recheckMaxAgeSeconds'] as number }),
    },
    hygiene: hygieneSettings({ unusedGraceDays }, hygiene as Partial<HygieneSettings>),
    users: users.map((raw, index): DeclaredUser => {
      const entry = raw as Record<string, unknown>;
      return {
        name: entry['name'] as string,
        path: (entry['path'] as string | undefined) ?? '/',
        owner: entry['owner'] as string,
        reason: entry['reason'] as string,
        expires: (entry['expires'] as string | undefined) ?? null,
        action: (entry['action'] as UndeclaredAction | undefined) ?? null,
        inactiveAfterDays: (entry['inactiveAfterDays'] as number | undefined) ?? null,
        protect: (entry['protect'] as boolean | undefined) ?? false,
        line: source.lineOf(['users', index]),
      };
    }),
    exceptions: exceptions.map((raw, index): ExceptionEntry => {
      const entry = raw as Record<string, unknown>;
      return {
        name: entry['name'] as string,
        path: (entry['path'] as string | undefined) ?? null,
        owner: entry['owner'] as string,
        reason: entry['reason'] as string,
        expires: entry['expires'] as string,
        line: source.lineOf(['exceptions', index]),
      };
    }),
    sourceFile: file,
  };
}
