/**
 * Where the tool keeps its local files by default, relative to the working directory. The CLI's
 * options, the commands and the executor's library defaults all read these.
 */

/** The directory of the tool's local files. */
export const LOCAL_STATE_DIR = '.iam-allowlist';

/** Backups of users, written before the first change to each. */
export const DEFAULT_BACKUP_DIR = `${LOCAL_STATE_DIR}/backups`;

/** The append-only, write-ahead log of every mutating call. */
export const DEFAULT_AUDIT_LOG_PATH = `${LOCAL_STATE_DIR}/audit.log`;
