"""Encrypted backups: an archive sealed with Fernet in chunks, so that neither side holds it whole.

DJANGO_BACKUP_ENCRYPTION_KEY holds one or more Fernet keys, comma-separated
(`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`
makes one). The first encrypts; any of them decrypts, so a new key can be put
first while archives made with the old one still restore.

An encrypted file is MAGIC, a random stream id of 16 bytes, then chunks: a
4-byte big-endian length and a Fernet token, kept as raw bytes rather than
base64. Each token holds the stream id, the chunk's number, whether it is the
last, and up to CHUNK_BYTES of the archive. Fernet authenticates each token,
so chunks cannot be changed, reordered, dropped, cut off at the end or mixed
with another archive's without reading failing.
"""

import base64
import io
import os
import struct

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"DIPLOMACY-JOURNAL-ENCRYPTED-1\n"
STREAM_ID_BYTES = 16
CHUNK_BYTES = 1024 * 1024
_LENGTH = struct.Struct(">I")
_HEADER = struct.Struct(">16sQ?")  # stream id, chunk number, last
# A Fernet token: version, time, IV, the padded text, the HMAC.
_MAX_TOKEN_BYTES = 1 + 8 + 16 + (_HEADER.size + CHUNK_BYTES + 16) + 32


class DecryptionError(Exception):
    """An encrypted archive that cannot be read with the keys given; the message says why."""


def check_keys(keys: list[str]) -> None:
    """Refuse, at start-up, a value of DJANGO_BACKUP_ENCRYPTION_KEY that is not Fernet keys."""
    _fernet(keys)


def _fernet(keys: list[str]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "DJANGO_BACKUP_ENCRYPTION_KEY must hold Fernet keys (32 url-safe base64-encoded "
            'bytes each), comma-separated. Make one with: python -c "from cryptography.fernet '
            'import Fernet; print(Fernet.generate_key().decode())"'
        ) from error


def is_encrypted(head: bytes) -> bool:
    """Whether a file beginning with `head` (at least len(MAGIC) bytes) is encrypted."""
    return head.startswith(MAGIC)


class EncryptingWriter(io.RawIOBase):
    """Writes what it is given to `out`, encrypted; close() writes the last chunk."""

    def __init__(self, out, *, keys: list[str]):
        super().__init__()
        self._out = out
        self._fernet = _fernet(keys)
        self._stream_id = os.urandom(STREAM_ID_BYTES)
        self._number = 0
        self._pending = bytearray()
        out.write(MAGIC + self._stream_id)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._pending += data
        while len(self._pending) > CHUNK_BYTES:
            self._seal(bytes(self._pending[:CHUNK_BYTES]), last=False)
            del self._pending[:CHUNK_BYTES]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            # Always a last chunk, even an empty one: its absence means the file was cut short.
            self._seal(bytes(self._pending), last=True)
            self._pending.clear()
        super().close()

    def discard(self) -> None:
        """Close without the last chunk, for an archive abandoned half-way."""
        self._pending.clear()
        super().close()

    def _seal(self, data: bytes, *, last: bool) -> None:
        header = _HEADER.pack(self._stream_id, self._number, last)
        token = base64.urlsafe_b64decode(self._fernet.encrypt(header + data))
        self._out.write(_LENGTH.pack(len(token)) + token)
        self._number += 1


class DecryptingReader(io.RawIOBase):
    """Reads an encrypted file from `source` (positioned at its start) as the archive it holds."""

    def __init__(self, source, *, keys: list[str]):
        super().__init__()
        if not keys:
            raise DecryptionError(
                "the archive is encrypted: set DJANGO_BACKUP_ENCRYPTION_KEY to the key it was "
                "made with"
            )
        self._source = source
        self._fernet = _fernet(keys)
        head = self._read_exactly(len(MAGIC) + STREAM_ID_BYTES, what="its header")
        if not is_encrypted(head):
            raise DecryptionError("it is not an encrypted journal backup")
        self._stream_id = head[len(MAGIC) :]
        self._number = 0
        self._buffer = memoryview(b"")
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer and not self._done:
            self._buffer = memoryview(self._open_chunk())
        count = min(len(target), len(self._buffer))
        target[:count] = self._buffer[:count]
        self._buffer = self._buffer[count:]
        return count

    def finish(self) -> None:
        """Read to the end: a file cut short, or going on after its last chunk, is refused.

        A tar reader stops at the archive's end marker and may never ask for
        the last chunk, so a restore calls this once it has read the archive.
        """
        while self.read(CHUNK_BYTES):
            pass

    def _open_chunk(self) -> bytes:
        (length,) = _LENGTH.unpack(self._read_exactly(_LENGTH.size, what="a chunk's length"))
        if length > _MAX_TOKEN_BYTES:
            raise DecryptionError("it is damaged: a chunk is longer than any this journal writes")
        token = self._read_exactly(length, what="a chunk")
        try:
            plain = self._fernet.decrypt(base64.urlsafe_b64encode(token))
        except InvalidToken as error:
            raise DecryptionError(
                "it cannot be decrypted with DJANGO_BACKUP_ENCRYPTION_KEY: another key made it, "
                "or it was changed"
            ) from error
        stream_id, number, last = _HEADER.unpack_from(plain)
        if stream_id != self._stream_id or number != self._number:
            raise DecryptionError("its chunks are out of order or from another archive")
        self._number += 1
        if last:
            if self._source.read(1):
                raise DecryptionError("it goes on after its last chunk")
            self._done = True
        return plain[_HEADER.size :]

    def _read_exactly(self, size: int, *, what: str) -> bytes:
        data = b""
        while len(data) < size:
            more = self._source.read(size - len(data))
            if not more:
                raise DecryptionError(f"it is cut short: {what} is missing")
            data += more
        return data
