"""Produces the state-dict fixtures whose tensors declare more than their files store.

Run once with Debian's python3-torch (apt-get install python3-torch): /usr/bin/python3 make_tensor_bound_fixtures.py

Each starts from torch.save of one small tensor, {"weight": torch.ones(2, 2)}, whose pickle declares a storage of
4 float32 elements and a view of it of size (2, 2) and stride (2, 1) at offset 0. Only integers of the pickle are
changed, opcode for opcode (pickletools finds them), so everything else is as PyTorch wrote it:

- storage-larger-than-entry.pt: the storage declares 2**28 elements (1 GiB); its entry holds 16 bytes.
- view-past-storage.pt: the view is of size (65536, 65536) and stride (65536, 1), 2**32 elements (16 GiB), over the
  same 4 elements. PyTorch's own loader refuses it; a loader that allocates the view's shape first would not.
- legacy-state-dict.pt: the same state dict in torch.save's legacy (pre-zip) format, unchanged.
- legacy-storage-larger-than-stored.pt: that file with its storage declaring 2**28 elements; 4 follow the pickles.
"""
import io
import pickletools
import struct
import zipfile

import torch

STATE_DICT = {"weight": torch.ones(2, 2)}
INTEGERS = ("BININT", "BININT1", "BININT2", "LONG1")


def integers(pickle):
    """The integer opcodes of a pickle, in order, as (position, length of the opcode and its argument)."""
    ops = list(pickletools.genops(pickle))
    found = []
    for (op, _, position), (_, _, following) in zip(ops, ops[1:]):
        if op.name in INTEGERS:
            found.append((position, following - position))
    return found


def with_integers(pickle, replacements):
    """The pickle with its n-th integer opcode replaced by a BININT of the given value (no protocol-2 pickle has
    absolute offsets, so opcodes may change length)."""
    places = integers(pickle)
    out, done = bytearray(), 0
    for index, value in sorted(replacements.items()):
        position, length = places[index]
        out += pickle[done:position] + b"J" + struct.pack("<i", value)
        done = position + length
    return bytes(out + pickle[done:])


def zip_with_pickle(archive, replacements):
    """A copy of a torch.save archive whose data.pkl has the given integers replaced."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("data.pkl"):
                data = with_integers(data, replacements)
            target.writestr(info, data)
    return out.getvalue()


def save(state_dict, **options):
    buffer = io.BytesIO()
    torch.save(state_dict, buffer, **options)
    return buffer.getvalue()


# The integers of the data pickle, in order: the storage's element count, then the view's offset, sizes and strides.
NUMEL, OFFSET, SIZE0, SIZE1, STRIDE0, STRIDE1 = range(6)

archive = save(STATE_DICT)
data_pkl = zipfile.ZipFile(io.BytesIO(archive)).read(
    next(n for n in zipfile.ZipFile(io.BytesIO(archive)).namelist() if n.endswith("data.pkl")))
assert len(integers(data_pkl)) == 6, "expected one storage and one 2-d view"

with open("storage-larger-than-entry.pt", "wb") as out:
    out.write(zip_with_pickle(archive, {NUMEL: 2**28}))
view_past = zip_with_pickle(archive, {SIZE0: 65536, SIZE1: 65536, STRIDE0: 65536})
with open("view-past-storage.pt", "wb") as out:
    out.write(view_past)
try:
    torch.load(io.BytesIO(view_past))
    raise AssertionError("PyTorch loaded a view past its storage")
except RuntimeError as error:
    print("PyTorch refuses view-past-storage.pt:", str(error).splitlines()[0])

# Legacy: five pickles (magic number, protocol version, system info, the state dict, its storage keys), then each
# storage as an 8-byte element count and its bytes. The state dict is the fourth pickle; its integers are the
# storage's element count, offset, sizes and strides, as in the zip format, after those of the first three pickles.
legacy = save(STATE_DICT, _use_new_zipfile_serialization=False)
with open("legacy-state-dict.pt", "wb") as out:
    out.write(legacy)
stream = io.BytesIO(legacy)
starts = []
for _ in range(5):
    starts.append(stream.tell())
    pickletools.dis(stream, out=io.StringIO())
raw = stream.tell()
state_pickle = legacy[starts[3]:starts[4]]
assert len(integers(state_pickle)) == 6, "expected one storage and one 2-d view"
assert struct.unpack("<q", legacy[raw:raw + 8])[0] == 4, "expected 4 elements stored"
with open("legacy-storage-larger-than-stored.pt", "wb") as out:
    out.write(legacy[:starts[3]] + with_integers(state_pickle, {NUMEL: 2**28}) + legacy[starts[4]:])
assert torch.equal(torch.load("legacy-state-dict.pt")["weight"], STATE_DICT["weight"])
print("fixtures written")
