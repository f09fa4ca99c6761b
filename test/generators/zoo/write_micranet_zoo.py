"""Writes a model zoo the way the original MICRA-Net code (FLClab/MICRA-Net) stores its models:
one HDF5 group per architecture and supervision level ("MICRANet-1:5"), one sub-group per model
("network") holding the PyTorch state_dict as datasets (float32, num_batches_tracked as int64
scalars, as torch's state_dict has them), `trainer_params` (a JSON string) and
`class_thresholds` (a float64 array) as attributes of the architecture group.

The weights are the reference fixture's .f32 files. Usage:
    python3 write_micranet_zoo.py SPEC.json
SPEC: {"fixture": DIR, "out": FILE.hdf5, "groups": [{"name": "MICRANet-1:5",
       "trainer_params": {...} | "raw string" | null, "class_thresholds": [..] | null,
       "models": [{"name": "network", "drop": [keys], "reshape": {key: shape},
                   "as_string": [keys], "as_int": [keys], "nan": [keys], "float64": [keys],
                   "extra": {key: shape}, "compression": {key: "gzip" | "lzf"}}]}]}
The per-model mutations make the malformed zoos of the tests; a spec without them writes a
zoo as the original code does.
"""
import json
import os
import sys

import h5py
import numpy as np


def fixture_state_dict(fixture):
    with open(os.path.join(fixture, "manifest.json")) as f:
        manifest = json.load(f)
    state = {}
    for name, entry in manifest["arrays"].items():
        if not name.startswith("weights/"):
            continue
        data = np.fromfile(os.path.join(fixture, entry["file"]), dtype="<f4")
        state[name[len("weights/"):]] = data.reshape(entry["shape"])
    # torch's BatchNorm2d state_dict also holds the step counter.
    for key in list(state):
        if key.endswith(".running_var"):
            state[key.replace(".running_var", ".num_batches_tracked")] = np.array(1234, dtype=np.int64)
    return state


def write_model(group, spec, state):
    net = group.create_group(spec["name"])
    for key, value in state.items():
        if key in spec.get("drop", []):
            continue
        if key in spec.get("reshape", {}):
            value = np.resize(value, spec["reshape"][key]).astype(np.float32)
        if key in spec.get("nan", []):
            value = value.copy()
            value.flat[0] = np.nan
        if key in spec.get("float64", []):
            value = value.astype(np.float64)
        if key in spec.get("as_int", []):
            value = np.round(value * 100).astype(np.int32)
        if key in spec.get("as_string", []):
            net.create_dataset(key, data="not numbers")
            continue
        net.create_dataset(key, data=value, compression=spec.get("compression", {}).get(key))
    for key, shape in spec.get("extra", {}).items():
        net.create_dataset(key, data=np.zeros(shape, dtype=np.float32))


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    state = fixture_state_dict(spec["fixture"])
    with h5py.File(spec["out"], "w") as zoo:
        for g in spec["groups"]:
            group = zoo.create_group(g["name"])
            for m in g.get("models", [{"name": "network"}]):
                write_model(group, m, state)
            params = g.get("trainer_params")
            if isinstance(params, dict):
                group.attrs["trainer_params"] = json.dumps(params)
            elif isinstance(params, str):
                group.attrs["trainer_params"] = params
            if g.get("class_thresholds") is not None:
                group.attrs["class_thresholds"] = np.array(g["class_thresholds"], dtype=np.float64)


if __name__ == "__main__":
    main()
