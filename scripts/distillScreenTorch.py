#!/usr/bin/python3
"""Distils a sweep screen for a model with PyTorch, on crops written by scripts/exportSweepCrops.ts.

The screen (src-main/core/ml/screen/screenArchitecture.ts is its definition; this file follows it):
the crop averaged down by DOWNSAMPLE, six conv3x3 + ReLU blocks of WIDTHS with a 2x2 max pool after
the 2nd and 4th, a global max pool and a linear layer, one logit per class of the teacher. It learns
the teacher's logits (the full MICRA-Net's scores are the targets, the crops' labels are not used):
binary cross-entropy against the teacher's probability plus a small squared error on the clipped
logits, so the order of crops near the class threshold is learnt, not only their side of 0.5.

Why PyTorch: the same reason as scripts/trainDefaultTorch.py (about 10x the app's trainer on this
2-core machine). The weights are written in the engine's format (PyTorch layouts) as
<model>/screen/manifest.json; `npx tsx scripts/finishScreen.ts --model <model>/manifest.json` then
sets the threshold on held-out crops with the app's own engine and threshold rule and writes the
model card's `screen` field.

Usage: /usr/bin/python3 scripts/distillScreenTorch.py --data DIR --model models/default [--steps 1200]
Seeded: the same inputs and flags give the same weights on the same machine.
"""
import argparse, hashlib, datetime, json, os, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'test', 'bench', 'pytorch'))
from micranet_baseline import MicraNet  # noqa: E402

DOWNSAMPLE = 4
WIDTHS = [16, 16, 32, 32, 64, 64]
POOL_AFTER = {1, 3}  # 0-based block indices

p = argparse.ArgumentParser()
p.add_argument('--data', required=True)
p.add_argument('--train', default='train', help='crop sets to distil on, comma-separated (e.g. train,train2), in that order')
p.add_argument('--model', default='models/default')
p.add_argument('--steps', type=int, default=1200)
p.add_argument('--batch', type=int, default=64)
p.add_argument('--lr', type=float, default=2e-3)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--teacher-only', default='', help='only score these crops (e.g. heldout) with the teacher and stop')
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
rng = np.random.default_rng(a.seed)

manifest = json.load(open(f'{a.model}/manifest.json'))
card = manifest['card']
pre = card.get('preprocessing', {'invert': False, 'normalisation': {'kind': 'none'}})
in_channels = manifest['model']['in_channels']
num_classes = manifest['model']['num_classes']


def prep(x):
    """The card's preprocessing per crop (preprocess.ts): invert, then the normalisation."""
    if pre.get('invert'):
        x = 1 - x
    n = pre.get('normalisation', {'kind': 'none'})
    if n['kind'] == 'scale':
        return (x * n['scale'] + n['offset']).astype(np.float32)
    if n['kind'] == 'percentile':
        lo = np.percentile(x, n['low'], axis=(1, 2), keepdims=True)
        hi = np.percentile(x, n['high'], axis=(1, 2), keepdims=True)
        r = hi - lo
        return np.where(r > 0, np.clip((x - lo) / np.where(r > 0, r, 1), 0, 1), 0).astype(np.float32)
    return x.astype(np.float32)


def load_crops(name):
    x = np.fromfile(f'{a.data}/{name}.u8', dtype=np.uint8).reshape(-1, 256, 256).astype(np.float32) / 255
    return prep(x)


def model_digest():
    """The weights' fingerprint of src-main/core/ml/weights/weightsDigest.ts (SHA-256 over every
    array in sorted key order: key, shape, little-endian bytes), the teacher cache's key, so the
    logits of another model (an older default) are never reused; finishScreen.ts checks it."""
    h = hashlib.sha256()
    for k in sorted(manifest['arrays']):
        spec = manifest['arrays'][k]
        h.update(f"{k}\0{','.join(str(n) for n in spec['shape'])}\0".encode())
        with open(f"{a.model}/{spec['file']}", 'rb') as f:
            h.update(f.read())
    return h.hexdigest()


def teacher_logits(name, x):
    """The full model's logits of every crop, cached beside the crops (the slow part) with the
    model's digest in `<name>.teacher.json`."""
    cache = f'{a.data}/{name}.teacher.npy'
    stamp = f'{a.data}/{name}.teacher.json'
    digest = model_digest()
    if os.path.exists(cache) and os.path.exists(stamp) and json.load(open(stamp)).get('model') == digest:
        return np.load(cache)
    net = MicraNet(in_channels, num_classes)
    state = {k.split('/')[-1]: torch.from_numpy(np.fromfile(f"{a.model}/{s['file']}", dtype='<f4').reshape(s['shape']))
             for k, s in manifest['arrays'].items() if k.startswith('weights/')}
    net.load_state_dict(state)
    net.eval()
    out = []
    t0 = time.time()
    with torch.no_grad():
        for i in range(0, len(x), 16):
            out.append(net(torch.from_numpy(x[i:i + 16, None])).numpy())
            if i % 64 == 0:
                print(json.dumps({'teacher': name, 'done': i, 'of': len(x), 'seconds': round(time.time() - t0)}), flush=True)
    logits = np.concatenate(out).astype(np.float32)
    np.save(cache, logits)
    # Raw little-endian [crops, classes] for scripts/finishScreen.ts.
    logits.astype('<f4').tofile(f'{a.data}/{name}.teacher.f32')
    json.dump({'model': digest, 'manifest': os.path.abspath(f'{a.model}/manifest.json')}, open(stamp, 'w'))
    return logits


class Screen(nn.Module):
    def __init__(self):
        super().__init__()
        c = in_channels
        self.convs = nn.ModuleList()
        for w in WIDTHS:
            self.convs.append(nn.Conv2d(c, w, 3, padding=1))
            c = w
        self.linear = nn.Linear(c, num_classes)
        # He initialisation: no batch norm in the screen (the engine runs conv + bias + ReLU only).
        for conv in self.convs:
            nn.init.kaiming_normal_(conv.weight, nonlinearity='relu')
            nn.init.zeros_(conv.bias)

    def forward(self, small):
        h = small
        for i, conv in enumerate(self.convs):
            h = F.relu(conv(h))
            if i in POOL_AFTER:
                h = F.max_pool2d(h, 2)
        return self.linear(torch.amax(h, dim=(2, 3)))


def downsample(x):
    return F.avg_pool2d(torch.from_numpy(x[:, None]), DOWNSAMPLE).numpy()


if a.teacher_only:
    teacher_logits(a.teacher_only, load_crops(a.teacher_only))
    sys.exit(0)

# Each set's teacher logits are cached beside it; the sets are joined in the order given.
smalls, zs = [], []
for name in a.train.split(','):
    x = load_crops(name)
    zs.append(teacher_logits(name, x))
    smalls.append(downsample(x))
    del x
small = np.concatenate(smalls)
z = np.concatenate(zs)
del smalls
target_p = 1 / (1 + np.exp(-z))
clipped = np.clip(z, -8, 8)
# Crops the teacher calls positive, or nearly, are rare: draw them more often.
weight = np.where(target_p.max(axis=1) > 0.2, 4.0, 1.0)
draw = weight / weight.sum()

net = Screen()
opt = torch.optim.Adam(net.parameters(), lr=a.lr)
t0 = time.time()
for step in range(a.steps):
    lr = a.lr * 0.5 * (1 + np.cos(np.pi * step / a.steps))
    for g in opt.param_groups:
        g['lr'] = lr
    idx = rng.choice(len(small), a.batch, p=draw)
    xb = small[idx]
    if rng.random() < .5:
        xb = xb[:, :, :, ::-1]
    xb = torch.from_numpy(np.ascontiguousarray(xb))
    out = net(xb)
    loss = F.binary_cross_entropy_with_logits(out, torch.from_numpy(target_p[idx])) + 0.05 * F.mse_loss(out, torch.from_numpy(clipped[idx]))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 100 == 0 or step == a.steps - 1:
        print(json.dumps({'step': step, 'loss': round(float(loss), 5), 'seconds': round(time.time() - t0)}), flush=True)

out_dir = f'{a.model}/screen'
os.makedirs(out_dir, exist_ok=True)
arrays = {}
for i, conv in enumerate(net.convs):
    arrays[f'screen/conv{i + 1}.weight'] = conv.weight.detach().numpy()
    arrays[f'screen/conv{i + 1}.bias'] = conv.bias.detach().numpy()
arrays['screen/linear.weight'] = net.linear.weight.detach().numpy()
arrays['screen/linear.bias'] = net.linear.bias.detach().numpy()
entries = {}
for name, arr in arrays.items():
    file = name.replace('/', '__') + '.f32'
    arr.astype('<f4').tofile(f'{out_dir}/{file}')
    entries[name] = {'file': file, 'shape': list(arr.shape), 'dtype': 'float32', 'byteOrder': 'little'}
meta = {
    'screen': {'downsample': DOWNSAMPLE, 'widths': WIDTHS, 'in_channels': in_channels, 'num_classes': num_classes},
    'distillation': {'trainer': 'scripts/distillScreenTorch.py', 'data': a.train, 'crops': int(len(small)),
                     'teacherPositives': int((target_p.max(axis=1) >= 0.5).sum()), 'steps': a.steps, 'batch': a.batch,
                     'lr': a.lr, 'seed': a.seed, 'seconds': round(time.time() - t0), 'backend': f'pytorch {torch.__version__} cpu',
                     'distilledAt': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')},
    'arrays': entries,
}
with open(f'{out_dir}/manifest.json.tmp', 'w') as f:
    json.dump(meta, f, indent=1)
os.replace(f'{out_dir}/manifest.json.tmp', f'{out_dir}/manifest.json')
print(json.dumps({'written': f'{out_dir}/manifest.json', 'seconds': round(time.time() - t0)}))
