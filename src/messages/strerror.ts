/** The C library's strerror() texts for the errnos QEMU's block layer returns where a job reports them. */
export const STRERROR = {
  EACCES: 'Permission denied',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  ENOTSUP: 'Operation not supported',
} as const;

export type Strerror = (typeof STRERROR)[keyof typeof STRERROR];
