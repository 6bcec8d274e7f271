import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

/** The lock file beside a database: `data/lifelong.db` → `data/lifelong.db.lock`. */
export const lockPath = (databasePath: string): string => `${databasePath}.lock`;

/** Another live process holds the database. */
export class InstanceLockError extends Error {
  constructor(
    readonly pid: number,
    readonly file: string,
  ) {
    super(`another Lifelong is running on this database (lock held by pid ${pid}, ${file})`);
    this.name = "InstanceLockError";
  }
}

export interface InstanceLock {
  readonly file: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a pid names a live process that may be a Lifelong. A pid is reused after its process
 * ends (in a container the bot is always pid 1), so our own pid and, where /proc tells, a process
 * that is not node at all mean the lock was left behind by a process that is gone.
 */
function holderAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, owned by someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline === "" || /node|tsx/.test(cmdline);
  } catch {
    return true;
  }
}

/** The pid of the live process holding the database's lock, or undefined. */
export function lockHolder(databasePath: string): number | undefined {
  const pid = readPid(lockPath(databasePath));
  return pid !== undefined && holderAlive(pid) ? pid : undefined;
}

/**
 * Takes the one-instance lock for a database: a file beside it, created with O_EXCL and holding
 * our pid. Two pollers on one token fight (Telegram answers 409) and two senders would deliver
 * twice, so a second process is refused. A lock whose pid is gone is stale and taken over.
 * Throws InstanceLockError when a live process holds it.
 */
export function acquireInstanceLock(databasePath: string): InstanceLock {
  const file = lockPath(databasePath);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 2) throw err;
      const pid = readPid(file);
      if (pid !== undefined && holderAlive(pid)) throw new InstanceLockError(pid, file);
      // A half-written lock (pid undefined) of a process that is starting is given a moment.
      if (pid === undefined && attempt === 0) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
        if (readPid(file) !== undefined) continue;
      }
      rmSync(file, { force: true });
    }
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      if (readPid(file) === process.pid) rmSync(file, { force: true });
    },
  };
}
