#!/usr/bin/python3
"""Captum Integrated Gradients reference benchmark for the built-in `fashion-cnn` model, or for any TorchScript
classifier over a folder of images.

What it measures
    Wall-clock time of captum.attr.IntegratedGradients(model).attribute(...) on CPU for the
    first --images Fashion-MNIST test images (target = predicted class, baseline = black, i.e.
    all-zero pixels), with --steps interpolation steps, the --rule integration method and
    --batch as internal_batch_size, under torch.set_num_threads(--threads). One warm-up run,
    then --repetitions timed runs; the median is reported as images per second.

    The model is rebuilt in plain PyTorch from models/fashion-cnn.safetensors (header parsed by
    hand, no `safetensors` package) with the same layers as attribution/Models/FashionCnn.cs,
    pixel normalisation (x - 0.2860) / 0.3530 folded into forward(), and checked by its
    accuracy on the first 1000 test images (about 91% expected).

    With --torchscript FILE --folder DIR, the model is that TorchScript file (taking [N, 3, H, W] pixels in
    [0, 1], as Saliency gives it when no normalisation is declared) and the images are the folder's files in
    Saliency's order (class sub-folders by name, then file names), read with PIL, already the model's size,
    repeated to --images.

How to run
    /usr/bin/python3 scripts/captum_ig_bench.py --captum /tmp/captum \
        [--images 64] [--steps 64] [--batch 64] [--threads 2] [--repetitions 5] [--rule gausslegendre]
        [--torchscript resnet18.pt --folder client/photos]

    Needs Debian's python3-torch and python3-numpy, and a Captum source checkout (tag v0.7.0
    works with torch 1.13 and no tqdm; v0.8.0 and newer need tqdm installed). If matplotlib is absent,
    inert stand-in modules are registered for it, because captum.attr imports it for plotting
    only. Exactly one JSON line goes to stdout; progress goes to stderr.
"""
import argparse
import collections
import gzip
import importlib.abc
import importlib.machinery
import json
import os
import statistics
import struct
import sys
import time
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = "/usr/share/datasets/fashion-mnist"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def fail(message):
    log("error: " + message)
    sys.exit(2)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--captum", required=True, help="path of a Captum source checkout (added to sys.path)")
    p.add_argument("--weights", default=os.path.join(ROOT, "models", "fashion-cnn.safetensors"))
    p.add_argument("--data", default=DATA, help="folder with the t10k-*-ubyte.gz files")
    p.add_argument("--images", type=int, default=64)
    p.add_argument("--steps", type=int, default=64)
    p.add_argument("--batch", type=int, default=64, help="internal_batch_size")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--rule", default="gausslegendre", help="Captum integration method")
    p.add_argument("--torchscript", help="a TorchScript classifier of [0, 1] pixels, instead of fashion-cnn")
    p.add_argument("--folder", help="with --torchscript: the folder of images to attribute")
    return p.parse_args()


class _Inert:
    """Stands in for any matplotlib object: every attribute, call or subscript yields itself."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __getitem__(self, key):
        return self

    def __or__(self, other):
        return self

    __ror__ = __or__


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves inert modules for matplotlib / mpl_toolkits when they are not installed."""

    PREFIXES = ("matplotlib", "mpl_toolkits")

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.PREFIXES:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__getattr__ = lambda attr: _Inert()  # module-level __getattr__ (PEP 562)
        return module

    def exec_module(self, module):
        pass


def import_libraries(captum_path):
    try:
        import numpy
        import torch
    except ImportError as e:
        fail(f"cannot import torch/numpy ({e}); install Debian's python3-torch and python3-numpy")
    if not os.path.isdir(os.path.join(captum_path, "captum")):
        fail(f"{captum_path} is not a Captum checkout (no captum/ folder in it)")
    sys.path.insert(0, os.path.abspath(captum_path))
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        log("matplotlib not installed: using inert stand-ins (only Captum's plotting needs it)")
        sys.meta_path.insert(0, _StubFinder())
    try:
        import captum
        from captum.attr import IntegratedGradients
    except Exception as e:
        fail(f"cannot import captum from {captum_path} ({type(e).__name__}: {e}); "
             "try an older tag, e.g. v0.7.0")
    return numpy, torch, captum, IntegratedGradients


def load_safetensors(path, numpy, torch):
    """Reads a safetensors file: u64 LE header length, JSON header, then raw little-endian data."""
    dtypes = {"F32": numpy.float32, "F64": numpy.float64, "F16": numpy.float16,
              "I64": numpy.int64, "I32": numpy.int32, "U8": numpy.uint8}
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    body = memoryview(raw)[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = numpy.frombuffer(body[begin:end], dtype=numpy.dtype(dtypes[info["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.copy().reshape(info["shape"]))
    return tensors


def build_model(torch, state):
    nn = torch.nn

    class FashionCnn(nn.Module):
        def __init__(self):
            super().__init__()
            layers = []
            for i, (cin, cout) in enumerate([(1, 32), (32, 64), (64, 128)], start=1):
                layers += [(f"conv{i}", nn.Conv2d(cin, cout, 3, padding=1)), (f"bn{i}", nn.BatchNorm2d(cout)),
                           (f"relu{i}", nn.ReLU())]
                if i < 3:
                    layers.append((f"pool{i}", nn.MaxPool2d(2)))
            self.features = nn.Sequential(collections.OrderedDict(layers))
            self.classifier = nn.Linear(128, 10)

        def forward(self, x):  # x: [N,1,28,28] pixels in [0,1]
            x = (x - 0.2860) / 0.3530
            return self.classifier(self.features(x).mean(dim=(2, 3)))

    model = FashionCnn()
    model.load_state_dict(state, strict=True)
    return model.eval()


def read_idx(path, numpy):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    (magic,) = struct.unpack(">I", raw[:4])
    dims = struct.unpack(">" + "I" * (magic & 0xFF), raw[4:4 + 4 * (magic & 0xFF)])
    return numpy.frombuffer(raw, dtype=numpy.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def folder_images(folder, count, numpy, torch):
    """The folder's images in Saliency's order, repeated to `count`, as [count, 3, H, W] floats in [0, 1]."""
    from PIL import Image
    extensions = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif")
    classes = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)))
    folders = [os.path.join(folder, c) for c in classes] or [folder]
    files = [os.path.join(f, name) for f in folders for name in sorted(os.listdir(f)) if name.lower().endswith(extensions)]
    if not files:
        fail(f"no images in {folder}")
    arrays = [numpy.asarray(Image.open(f).convert("RGB"), dtype=numpy.float32) / 255.0 for f in files[:count]]
    batch = torch.from_numpy(numpy.stack(arrays)).permute(0, 3, 1, 2)
    return batch.repeat((count + len(files) - 1) // len(files), 1, 1, 1)[:count].contiguous()


def main():
    args = parse_args()
    numpy, torch, captum, IntegratedGradients = import_libraries(args.captum)
    torch.set_num_threads(args.threads)
    log(f"torch {torch.__version__}, captum {captum.__version__} from {args.captum}, threads {torch.get_num_threads()}")
    if args.torchscript:
        if not args.folder:
            fail("--torchscript needs --folder")
        model = torch.jit.load(args.torchscript).eval()
        x = folder_images(args.folder, args.images, numpy, torch)
        time_ig(args, torch, captum, IntegratedGradients, model, x, accuracy=None)
        return

    model = build_model(torch, load_safetensors(args.weights, numpy, torch))
    images = torch.from_numpy(read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"), numpy).astype(numpy.float32) / 255.0)
    labels = torch.from_numpy(read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"), numpy).astype(numpy.int64))
    images = images.unsqueeze(1)  # [10000,1,28,28]

    with torch.no_grad():
        accuracy = (model(images[:1000]).argmax(1) == labels[:1000]).float().mean().item()
    log(f"accuracy on first 1000 test images: {accuracy:.4f}")
    if accuracy < 0.85:
        fail(f"model check failed: accuracy {accuracy:.4f} (expected about 0.91)")

    time_ig(args, torch, captum, IntegratedGradients, model, images[:args.images].contiguous(), accuracy)


def time_ig(args, torch, captum, IntegratedGradients, model, x, accuracy):
    with torch.no_grad():
        target = model(x).argmax(1)
    ig = IntegratedGradients(model)

    def run():
        start = time.perf_counter()
        attributions, delta = ig.attribute(x, baselines=0, target=target, n_steps=args.steps, method=args.rule,
                                           internal_batch_size=args.batch, return_convergence_delta=True)
        return time.perf_counter() - start, attributions, delta

    seconds, _, delta = run()
    log(f"warm-up: {seconds:.3f} s")
    times = []
    for i in range(args.repetitions):
        seconds, _, delta = run()
        times.append(seconds)
        log(f"run {i + 1}/{args.repetitions}: {seconds:.3f} s ({args.images / seconds:.1f} images/s)")
    median = statistics.median(times)

    print(json.dumps({
        "images_per_second": round(args.images / median, 3), "median_seconds": round(median, 5),
        "images": args.images, "steps": args.steps, "batch": args.batch, "threads": args.threads,
        "torch": torch.__version__, "captum": captum.__version__, "accuracy_first_1000": None if accuracy is None else round(accuracy, 4),
        "mean_abs_delta": delta.abs().mean().item(),
    }))


if __name__ == "__main__":
    main()
