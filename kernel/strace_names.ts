// Names strace prints for numbers: errno values with their strerror text, signals, and the flag words of
// the syscalls faultline has (include/uapi/asm-generic/errno-base.h, errno.h, mman-common.h, wait.h,
// resource.h, fcntl.h; glibc's strerror strings).

const SIGNAMES: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV',
  'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN',
  'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** errno -> [name, strerror text]. */
export const ERRNO: Readonly<Record<number, readonly [string, string]>> = {
  1: ['EPERM', 'Operation not permitted'], 2: ['ENOENT', 'No such file or directory'], 3: ['ESRCH', 'No such process'],
  4: ['EINTR', 'Interrupted system call'], 5: ['EIO', 'Input/output error'], 6: ['ENXIO', 'No such device or address'],
  7: ['E2BIG', 'Argument list too long'], 8: ['ENOEXEC', 'Exec format error'], 9: ['EBADF', 'Bad file descriptor'],
  10: ['ECHILD', 'No child processes'], 11: ['EAGAIN', 'Resource temporarily unavailable'], 12: ['ENOMEM', 'Cannot allocate memory'],
  13: ['EACCES', 'Permission denied'], 14: ['EFAULT', 'Bad address'], 16: ['EBUSY', 'Device or resource busy'],
  17: ['EEXIST', 'File exists'], 19: ['ENODEV', 'No such device'], 20: ['ENOTDIR', 'Not a directory'],
  21: ['EISDIR', 'Is a directory'], 22: ['EINVAL', 'Invalid argument'], 23: ['ENFILE', 'Too many open files in system'],
  24: ['EMFILE', 'Too many open files'], 25: ['ENOTTY', 'Inappropriate ioctl for device'], 27: ['EFBIG', 'File too large'],
  28: ['ENOSPC', 'No space left on device'], 29: ['ESPIPE', 'Illegal seek'], 30: ['EROFS', 'Read-only file system'],
  32: ['EPIPE', 'Broken pipe'], 34: ['ERANGE', 'Numerical result out of range'], 38: ['ENOSYS', 'Function not implemented'],
  75: ['EOVERFLOW', 'Value too large for defined data type'], 95: ['EOPNOTSUPP', 'Operation not supported'],
};

/** `SIGSEGV`, or the number when it has no name. */
export function signame(sig: number): string {
  if (sig >= 34 && sig <= 64) return sig === 34 ? 'SIGRTMIN' : `SIGRT_${sig - 34}`;
  return sig > 0 ? (SIGNAMES[sig] ?? String(sig)) : String(sig);
}

/** Bits of a flag word by name, `A|B|0x40` for a bit without one, `zero` when none is set. */
export function flag_names(v: number, names: readonly (readonly [number, string])[], zero: string): string {
  const out: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of names) {
    if (bit !== 0 && (rest & bit) === bit) {
      out.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) out.push(`0x${rest.toString(16)}`);
  return out.length === 0 ? zero : out.join('|');
}

export const PROT: readonly (readonly [number, string])[] = [[1, 'PROT_READ'], [2, 'PROT_WRITE'], [4, 'PROT_EXEC'], [0x1000000, 'PROT_GROWSDOWN'], [0x2000000, 'PROT_GROWSUP']];

export const MAP: readonly (readonly [number, string])[] = [
  [0x01, 'MAP_SHARED'], [0x02, 'MAP_PRIVATE'], [0x10, 'MAP_FIXED'], [0x20, 'MAP_ANONYMOUS'], [0x40, 'MAP_32BIT'],
  [0x100, 'MAP_GROWSDOWN'], [0x800, 'MAP_DENYWRITE'], [0x1000, 'MAP_EXECUTABLE'], [0x2000, 'MAP_LOCKED'],
  [0x4000, 'MAP_NORESERVE'], [0x8000, 'MAP_POPULATE'], [0x10000, 'MAP_NONBLOCK'], [0x20000, 'MAP_STACK'],
  [0x40000, 'MAP_HUGETLB'], [0x100000, 'MAP_FIXED_NOREPLACE'],
];

export const WAIT_OPTIONS: readonly (readonly [number, string])[] = [
  [1, 'WNOHANG'], [2, 'WUNTRACED'], [8, 'WCONTINUED'], [0x20000000, '__WNOTHREAD'], [0x40000000, '__WALL'], [0x80000000, '__WCLONE'],
];

export const OPEN_FLAGS: readonly (readonly [number, string])[] = [
  [0o100, 'O_CREAT'], [0o200, 'O_EXCL'], [0o400, 'O_NOCTTY'], [0o1000, 'O_TRUNC'], [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'], [0o200000, 'O_DIRECTORY'], [0o400000, 'O_NOFOLLOW'], [0o2000000, 'O_CLOEXEC'],
];

/** O_RDONLY / O_WRONLY / O_RDWR, then the other open flags. */
export function open_flags(v: number): string {
  const acc = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', '0x3'][v & 3];
  const rest = flag_names(v & ~3, OPEN_FLAGS, '');
  return rest === '' ? acc : `${acc}|${rest}`;
}

export const MADVISE: Readonly<Record<number, string>> = {
  0: 'MADV_NORMAL', 1: 'MADV_RANDOM', 2: 'MADV_SEQUENTIAL', 3: 'MADV_WILLNEED', 4: 'MADV_DONTNEED', 8: 'MADV_FREE',
  9: 'MADV_REMOVE', 10: 'MADV_DONTFORK', 11: 'MADV_DOFORK', 12: 'MADV_MERGEABLE', 14: 'MADV_HUGEPAGE',
};

export const SIGPROCMASK_HOW: Readonly<Record<number, string>> = { 0: 'SIG_BLOCK', 1: 'SIG_UNBLOCK', 2: 'SIG_SETMASK' };

export const RUSAGE_WHO: Readonly<Record<number, string>> = { 0: 'RUSAGE_SELF', [-1]: 'RUSAGE_CHILDREN', [-2]: 'RUSAGE_BOTH', 1: 'RUSAGE_THREAD' };

export const RLIMIT: Readonly<Record<number, string>> = {
  0: 'RLIMIT_CPU', 1: 'RLIMIT_FSIZE', 2: 'RLIMIT_DATA', 3: 'RLIMIT_STACK', 4: 'RLIMIT_CORE', 5: 'RLIMIT_RSS',
  6: 'RLIMIT_NPROC', 7: 'RLIMIT_NOFILE', 8: 'RLIMIT_MEMLOCK', 9: 'RLIMIT_AS',
};
