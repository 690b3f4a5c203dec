"""MS-OVBA 2.4.1 compression and decompression ("CompressedContainer").

VBA stores the `dir` stream and every module's source text in this LZ77
variant.  The container is a signature byte 0x01 followed by chunks; each
chunk encodes up to 4096 bytes of input and never refers back across a chunk
boundary, so chunks are compressed independently.

The compressor is a greedy longest-match encoder.  It does not reproduce
Office's output byte for byte (nothing requires that); it produces valid
containers deterministically.
"""

from __future__ import annotations

import struct

__all__ = ["compress", "decompress", "IncompressibleChunkError"]

_SIGNATURE = 0x01
_CHUNK_SIZE = 4096
# A chunk is 2 header bytes plus at most 4096 data bytes (MS-OVBA 2.4.1.1.4).
_MAX_CHUNK_DATA = 4096
_HEADER_SIGNATURE = 0b011 << 12
_HEADER_COMPRESSED = 0x8000
_MIN_MATCH = 3
# Only the nearest candidates of each 3-byte prefix are tried.  The cap keeps
# pathological inputs (long runs of a few distinct byte triples) linear; it
# only costs compression ratio, never correctness.
_MAX_CANDIDATES = 64


class IncompressibleChunkError(ValueError):
    """A 4096-byte chunk could not be encoded with copy tokens."""


def _copy_token_bit_count(difference: int) -> int:
    """Bits used for the offset part of a copy token (MS-OVBA 2.4.1.3.19.1).

    `difference` is the number of bytes already produced in the current chunk;
    the offset field is just wide enough to reach back to the chunk start.
    """
    return max((difference - 1).bit_length(), 4)


def _match_length(chunk: bytes, candidate: int, current: int, limit: int) -> int:
    """Length of the common prefix of chunk[candidate:] and chunk[current:].

    The source may overlap the destination (candidate + length > current):
    the decompressor copies byte by byte, and because the whole input is known
    here, comparing against the input gives the same result.
    """
    if chunk[candidate : candidate + limit] == chunk[current : current + limit]:
        return limit
    # Binary search on prefix equality: each probe is one C-level comparison.
    low, high = 0, limit  # chunk matches for `low` bytes, not for `high`
    while high - low > 1:
        middle = (low + high) // 2
        if chunk[candidate : candidate + middle] == chunk[current : current + middle]:
            low = middle
        else:
            high = middle
    return low


def _compress_chunk(chunk: bytes) -> bytes | None:
    """Token sequences for one chunk, or None if they exceed 4096 bytes."""
    size = len(chunk)
    out = bytearray()
    positions: dict[bytes, list[int]] = {}

    def remember(start: int, end: int) -> None:
        for index in range(start, min(end, size - _MIN_MATCH + 1)):
            positions.setdefault(chunk[index : index + _MIN_MATCH], []).append(index)

    current = 0
    while current < size:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= size:
                break
            bit_count = _copy_token_bit_count(current)
            limit = min((0xFFFF >> bit_count) + _MIN_MATCH, size - current)
            best_length = 0
            best_candidate = 0
            if limit >= _MIN_MATCH:
                candidates = positions.get(chunk[current : current + _MIN_MATCH], ())
                # Nearest first, and only a longer match replaces the best one,
                # so ties go to the smallest offset (as in MS-OVBA 2.4.1.3.19.4).
                for candidate in reversed(candidates[-_MAX_CANDIDATES:]):
                    length = _match_length(chunk, candidate, current, limit)
                    if length > best_length:
                        best_length = length
                        best_candidate = candidate
                        if length == limit:
                            break
            if best_length >= _MIN_MATCH:
                offset = current - best_candidate
                token = ((offset - 1) << (16 - bit_count)) | (best_length - _MIN_MATCH)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                remember(current, current + best_length)
                current += best_length
            else:
                out.append(chunk[current])
                remember(current, current + 1)
                current += 1
        out[flag_index] = flags
        if len(out) > _MAX_CHUNK_DATA:
            return None
    return bytes(out)


def compress(data: bytes, *, allow_raw_chunks: bool = True) -> bytes:
    """Compress `data` into an MS-OVBA CompressedContainer.

    A chunk whose token encoding would exceed 4096 bytes is stored raw
    (CompressedChunkFlag 0).  MS-OVBA 2.4.1.3.10 pads a short final raw chunk
    to 4096 bytes with zeros, which would append NUL bytes to the decompressed
    data; we store the real bytes instead (the header records their count, as
    2.4.1.1.6 allows) so that decompression returns exactly `data`.  This only
    happens for high-entropy input, never for source text.

    With `allow_raw_chunks=False` an incompressible chunk raises
    IncompressibleChunkError instead: raw chunks are legal, but they are the
    one part of the format that Office never writes for source text, so a
    project builder refuses them rather than risk Office rejecting a module.
    """
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), _CHUNK_SIZE):
        chunk = bytes(data[start : start + _CHUNK_SIZE])
        encoded = _compress_chunk(chunk)
        if encoded is not None:
            header = (len(encoded) + 2 - 3) | _HEADER_SIGNATURE | _HEADER_COMPRESSED
            out += struct.pack("<H", header)
            out += encoded
        elif allow_raw_chunks:
            header = (len(chunk) - 1) | _HEADER_SIGNATURE
            out += struct.pack("<H", header)
            out += chunk
        else:
            raise IncompressibleChunkError(
                f"bytes {start}..{start + len(chunk) - 1} do not compress below 4096 bytes; "
                "an MS-OVBA raw chunk would be needed"
            )
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (MS-OVBA 2.4.1.3.1).

    Raises ValueError on a malformed container instead of returning garbage.
    """
    if not container:
        raise ValueError("empty compressed container")
    if container[0] != _SIGNATURE:
        raise ValueError(f"bad compressed container signature 0x{container[0]:02X}")
    out = bytearray()
    position = 1
    end = len(container)
    while position < end:
        if position + 2 > end:
            raise ValueError(f"truncated chunk header at byte {position}")
        (header,) = struct.unpack_from("<H", container, position)
        if header & 0x7000 != _HEADER_SIGNATURE:
            raise ValueError(f"bad chunk signature at byte {position}")
        chunk_end = position + (header & 0x0FFF) + 3
        if chunk_end > end:
            raise ValueError(f"chunk at byte {position} runs past the end of the container")
        data_start = position + 2
        if not header & _HEADER_COMPRESSED:
            out += container[data_start:chunk_end]
        else:
            _decompress_chunk(container, data_start, chunk_end, out)
        position = chunk_end
    return bytes(out)


def _decompress_chunk(container: bytes, start: int, end: int, out: bytearray) -> None:
    chunk_start = len(out)
    current = start
    while current < end:
        flags = container[current]
        current += 1
        for bit in range(8):
            if current >= end:
                break
            if not flags & (1 << bit):
                out.append(container[current])
                current += 1
                continue
            if current + 2 > end:
                raise ValueError(f"truncated copy token at byte {current}")
            (token,) = struct.unpack_from("<H", container, current)
            current += 2
            difference = len(out) - chunk_start
            if difference == 0:
                raise ValueError(f"copy token at byte {current - 2} precedes any literal")
            bit_count = _copy_token_bit_count(difference)
            length = (token & (0xFFFF >> bit_count)) + _MIN_MATCH
            offset = (token >> (16 - bit_count)) + 1
            if offset > difference:
                raise ValueError(f"copy token at byte {current - 2} reaches before its chunk")
            source = len(out) - offset
            if offset >= length:
                out += out[source : source + length]
            else:
                # Overlapping copy: the run repeats with period `offset`.
                for index in range(length):
                    out.append(out[source + index])
        if len(out) - chunk_start > _CHUNK_SIZE:
            raise ValueError("compressed chunk decodes to more than 4096 bytes")
