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
