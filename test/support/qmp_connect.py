"""Connecting to a QMP unix socket that a freshly started daemon is still creating."""
import socket
import time


def connect(path, timeout=10.0):
    """A connected socket, retried until the daemon listens or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class LineReader:
    """QMP's replies and events, one JSON line at a time, from a connected socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b''

    def line(self, deadline):
        """The next line (without its newline), or None at the deadline."""
        while b'\n' not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise EOFError('the daemon closed the monitor')
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return line
