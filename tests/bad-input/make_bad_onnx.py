"""Produces the ONNX models of the bad-input corpus under models/, each a small graph of the Fashion-MNIST input shape:
one with an operator Saliency does not run (LSTM), one cut short, and one whose weights are external data outside its
folder. Run once with Debian's python3-onnx, from this folder: /usr/bin/python3 make_bad_onnx.py
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def classifier(nodes, initialisers, name):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 1, 28, 28])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 10])],
        initialisers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="saliency-bad-input")


weights = numpy_helper.from_array(np.full((784, 10), 0.01, dtype=np.float32), "weights")
flatten = helper.make_node("Flatten", ["images"], ["flat"], name="flatten")

# A valid graph, then one that asks for an operator the interpreter does not run.
good = classifier([flatten, helper.make_node("MatMul", ["flat", "weights"], ["scores"], name="scores")], [weights], "good")
unsupported = classifier([flatten, helper.make_node("MatMul", ["flat", "weights"], ["mixed"], name="mix"),
                          helper.make_node("Hardmax", ["mixed"], ["scores"], name="pick-one")], [weights], "unsupported")
onnx.save(unsupported, "models/unsupported-op.onnx")

# The valid graph cut short in the middle of its weights.
whole = good.SerializeToString()
with open("models/truncated.onnx", "wb") as out:
    out.write(whole[: len(whole) // 2])

# Weights kept as external data, at a path that leads out of the model's folder.
outside = classifier([flatten, helper.make_node("MatMul", ["flat", "weights"], ["scores"], name="scores")], [weights], "outside")
tensor = outside.graph.initializer[0]
tensor.ClearField("float_data")
tensor.ClearField("raw_data")
tensor.data_location = TensorProto.EXTERNAL
for key, value in [("location", "../../../../etc/passwd"), ("offset", "0"), ("length", str(784 * 10 * 4))]:
    entry = tensor.external_data.add()
    entry.key, entry.value = key, value
onnx.save(outside, "models/external-outside.onnx")
