#!/usr/bin/env node
// makeTinyBertOnnx.mjs — the project's generator of two tiny random BERT-like ONNX models + HF tokenizer files that
// transformers.js (v3/v4) loads from a local folder (env.allowRemoteModels = false):
//   OUT/tiny-embed/  feature-extraction  (BertModel: output last_hidden_state [B,S,H])
//   OUT/tiny-guard/  text-classification (BertForSequenceClassification: output logits [B,2], labels SAFE/UNSAFE)
// The guard model is deterministic by construction: any "trigger" word in the input (see TRIGGERS) pushes the
// UNSAFE logit up by +6/-6, so tests can assert on labels.  Pure Node.js, no dependencies: the ONNX protobuf
// is encoded by hand (onnx.proto field numbers), opset 17, IR version 8.
//
// usage: node makeTinyBertOnnx.mjs OUT_DIR [--hidden 32] [--seed 7]
import fs from "node:fs";
import path from "node:path";

const argv = process.argv.slice(2);
const OUT = argv[0] && !argv[0].startsWith("--") ? argv[0] : "models";
const opt = (n, d) => { const i = argv.indexOf("--" + n); return i >= 0 ? argv[i + 1] : d; };
const H = +opt("hidden", 32), MAXPOS = 128, SEED = +opt("seed", 7);
const TRIGGERS = ["ignore", "disregard", "jailbreak", "bypass", "override", "password", "exfiltrate", "secret"];

// ---------- PRNG ----------
let s = SEED >>> 0;
const rand = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const randn = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
const randT = (n, std) => Float32Array.from({ length: n }, () => randn() * std);

// ---------- WordPiece vocab ----------
const WORDS = `the of and to a in is it you that he was for on are with as i his they be at one have this from or had by
hot word but what some we can out other were all there when up use your how said an each she which do their time if will way
about many then them write would like so these her long make thing see him two has look more day could go come did number sound
no most people my over know water than call first who may down side been now find any new work part take get place made live where
after back little only round man year came show every good me give our under name very through just form sentence great think say
help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end
put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need
house picture try us again animal point mother world near build self earth father hello hi thanks please question answer code file
function class return const let var import export default async await error warning test model user assistant system message
repository issue pull request commit branch merge review diff change bug fix feature build release version server client language
document text search index vector embedding query result data type string number value list map set key token chat prompt response
safe unsafe ok fine weather today tomorrow cat dog car tree book music movie food coffee tea`.split(/\s+/).filter(Boolean);
const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const chars = "abcdefghijklmnopqrstuvwxyz0123456789";
const punct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
for (const c of chars + punct) vocab.push(c);
for (const c of chars) vocab.push("##" + c);
for (const w of [...WORDS, ...TRIGGERS]) if (!vocab.includes(w)) vocab.push(w);
const V = vocab.length;
const vocabObj = Object.fromEntries(vocab.map((t, i) => [t, i]));

const tokenizerJson = {
    version: "1.0", truncation: null, padding: null,
    added_tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map((t) => ({ id: vocabObj[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
        type: "TemplateProcessing",
        single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
        pair: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } }],
        special_tokens: { "[CLS]": { id: "[CLS]", ids: [vocabObj["[CLS]"]], tokens: ["[CLS]"] }, "[SEP]": { id: "[SEP]", ids: [vocabObj["[SEP]"]], tokens: ["[SEP]"] } },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: vocabObj },
};
const tokenizerConfig = {
    tokenizer_class: "BertTokenizer", do_lower_case: true, model_max_length: MAXPOS, clean_up_tokenization_spaces: true,
    cls_token: "[CLS]", sep_token: "[SEP]", pad_token: "[PAD]", unk_token: "[UNK]", mask_token: "[MASK]",
};

// ---------- minimal protobuf encoder (enough for onnx.proto) ----------
const varint = (v) => { let x = BigInt.asUintN(64, BigInt(v)); const o = []; do { let b = Number(x & 0x7fn); x >>= 7n; if (x) b |= 0x80; o.push(b); } while (x); return Buffer.from(o); };
const key = (f, w) => varint((f << 3) | w);
const pInt = (f, v) => Buffer.concat([key(f, 0), varint(v)]);
const pBytes = (f, b) => Buffer.concat([key(f, 2), varint(b.length), b]);
const pStr = (f, str) => pBytes(f, Buffer.from(str, "utf8"));
const pMsg = (f, parts) => pBytes(f, Buffer.concat(parts));
const pF32 = (f, v) => { const b = Buffer.alloc(4); b.writeFloatLE(v); return Buffer.concat([key(f, 5), b]); };
// onnx enums
const FLOAT = 1, INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, TENSOR: 4, INTS: 7 };

// TensorProto: dims=1, data_type=2, name=8, raw_data=9
function tensor(name, dims, type, values) {
    const raw = type === FLOAT ? Buffer.from(Float32Array.from(values).buffer) : Buffer.from(BigInt64Array.from(values.map(BigInt)).buffer);
    return [...dims.map((d) => pInt(1, d)), pInt(2, type), pStr(8, name), pBytes(9, raw)];
}
// AttributeProto: name=1, f=2, i=3, t=5, ints=8, type=20
function attr(name, v) {
    if (typeof v === "number" && !Number.isInteger(v)) return [pStr(1, name), pF32(2, v), pInt(20, ATTR.FLOAT)];
    if (typeof v === "number") return [pStr(1, name), pInt(3, v), pInt(20, ATTR.INT)];
    if (Array.isArray(v)) return [pStr(1, name), ...v.map((x) => pInt(8, x)), pInt(20, ATTR.INTS)];
    if (v && (v.float !== undefined && v.float !== null)) return [pStr(1, name), pF32(2, v.float), pInt(20, ATTR.FLOAT)];
    throw new Error("attr " + name);
}
// ValueInfoProto(name=1, type=2{ tensor_type=1{ elem_type=1, shape=2{ dim=1{ dim_value=1 | dim_param=2 } } } })
const valueInfo = (name, elem, dims) => [pStr(1, name), pMsg(2, [pMsg(1, [pInt(1, elem), pMsg(2, dims.map((d) => pMsg(1, [typeof d === "string" ? pStr(2, d) : pInt(1, d)])))])])];

class Graph {
    nodes = []; inits = []; n = 0;
    init(name, dims, values, type = FLOAT) { this.inits.push(pMsg(5, tensor(name, dims, type, values))); return name; }
    // NodeProto: input=1, output=2, name=3, op_type=4, attribute=5
    op(type, inputs, attrs = {}, out = `${type.toLowerCase()}_${this.n++}`) {
        this.nodes.push(pMsg(1, [...inputs.map((i) => pStr(1, i)), pStr(2, out), pStr(3, out + "_node"), pStr(4, type), ...Object.entries(attrs).map(([k, v]) => pMsg(5, attr(k, v)))]));
        return out;
    }
    // ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8{domain=1, version=2}
    model(inputs, outputs) {
        const g = [...this.nodes, pStr(2, "tiny_bert"), ...this.inits, ...inputs.map((v) => pMsg(11, v)), ...outputs.map((v) => pMsg(12, v))];
        return Buffer.concat([pInt(1, 8), pStr(2, "makeTinyBertOnnx.mjs"), pMsg(7, g), pMsg(8, [pStr(1, ""), pInt(2, 17)])]);
    }
}

// ---------- 1-layer, single-head BERT-ish encoder ----------
function encoder(g) {
    const std = 0.5;
    g.init("word_emb", [V, H], randT(V * H, std)); g.init("pos_emb", [MAXPOS, H], randT(MAXPOS * H, 0.1)); g.init("type_emb", [2, H], randT(2 * H, 0.1));
    for (const n of ["ln0", "ln1", "ln2"]) { g.init(n + "_g", [H], new Array(H).fill(1)); g.init(n + "_b", [H], new Array(H).fill(0)); }
    for (const n of ["Wq", "Wk", "Wv", "Wo", "W1", "W2"]) g.init(n, [H, H], randT(H * H, 1 / Math.sqrt(H)));
    g.init("b1", [H], randT(H, 0.02)); g.init("b2", [H], randT(H, 0.02));
    g.init("c0", [], [0], INT64); g.init("c1", [], [1], INT64); g.init("ax1", [1], [1], INT64);
    g.init("scale", [], [1 / Math.sqrt(H)]); g.init("onef", [], [1]); g.init("negbig", [], [-1e4]);

    const we = g.op("Gather", ["word_emb", "input_ids"]);
    const seqLen = g.op("Gather", [g.op("Shape", ["input_ids"]), "c1"], { axis: 0 });
    const pe = g.op("Gather", ["pos_emb", g.op("Range", ["c0", seqLen, "c1"])]);
    const te = g.op("Gather", ["type_emb", "token_type_ids"]);
    const x = g.op("LayerNormalization", [g.op("Add", [g.op("Add", [we, pe]), te]), "ln0_g", "ln0_b"], { axis: -1, epsilon: 1e-12 });
    // masked self-attention
    const q = g.op("MatMul", [x, "Wq"]), k = g.op("MatMul", [x, "Wk"]), v = g.op("MatMul", [x, "Wv"]);
    const scores = g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [k], { perm: [0, 2, 1] })]), "scale"]);
    const maskF = g.op("Cast", ["attention_mask"], { to: FLOAT }, "mask_f");
    const bias = g.op("Mul", [g.op("Sub", ["onef", g.op("Unsqueeze", [maskF, "ax1"])]), "negbig"]);
    const probs = g.op("Softmax", [g.op("Add", [scores, bias])], { axis: -1 });
    const attnOut = g.op("MatMul", [g.op("MatMul", [probs, v]), "Wo"]);
    const x2 = g.op("LayerNormalization", [g.op("Add", [x, attnOut]), "ln1_g", "ln1_b"], { axis: -1, epsilon: 1e-12 });
    // feed-forward (tanh instead of GELU: Gelu is only in opset 20)
    const ff = g.op("Add", [g.op("MatMul", [g.op("Tanh", [g.op("Add", [g.op("MatMul", [x2, "W1"]), "b1"])]), "W2"]), "b2"]);
    return g.op("LayerNormalization", [g.op("Add", [x2, ff]), "ln2_g", "ln2_b"], { axis: -1, epsilon: 1e-12 }, "last_hidden_state");
}
const inputs = ["input_ids", "attention_mask", "token_type_ids"].map((n) => valueInfo(n, INT64, ["batch_size", "sequence_length"]));

const baseConfig = {
    model_type: "bert", hidden_size: H, num_hidden_layers: 1, num_attention_heads: 1, intermediate_size: H, hidden_act: "tanh",
    vocab_size: V, max_position_embeddings: MAXPOS, type_vocab_size: 2, pad_token_id: 0, layer_norm_eps: 1e-12,
};
function writeDir(name, config, modelBuf) {
    const dir = path.join(OUT, name);
    fs.mkdirSync(path.join(dir, "onnx"), { recursive: true });
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config, null, 2));
    fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(tokenizerJson));
    fs.writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify(tokenizerConfig, null, 2));
    fs.writeFileSync(path.join(dir, "onnx", "model.onnx"), modelBuf);
    return { dir, onnxBytes: modelBuf.length };
}

// feature-extraction model
{
    const g = new Graph(); encoder(g);
    const buf = g.model(inputs, [valueInfo("last_hidden_state", FLOAT, ["batch_size", "sequence_length", H])]);
    console.log(JSON.stringify(writeDir("tiny-embed", { ...baseConfig, architectures: ["BertModel"] }, buf)));
}
// text-classification model (guardrail)
{
    const g = new Graph(); const hs = encoder(g);
    g.init("Wp", [H, H], randT(H * H, 1 / Math.sqrt(H))); g.init("bp", [H], new Array(H).fill(0));
    g.init("Wc", [H, 2], randT(H * 2, 0.1)); g.init("bc", [2], [0.5, -0.5]); // bias toward SAFE
    g.init("trigger", [V], vocab.map((t) => (TRIGGERS.includes(t) ? 1 : 0))); g.init("trigger_dir", [2], [-6, 6]);
    const cls = g.op("Gather", [hs, "c0"], { axis: 1 });                                      // [B,H] = [CLS] state
    const pooled = g.op("Tanh", [g.op("Add", [g.op("MatMul", [cls, "Wp"]), "bp"])]);
    const base = g.op("Add", [g.op("MatMul", [pooled, "Wc"]), "bc"]);                       // [B,2]
    const trig = g.op("ReduceMax", [g.op("Mul", [g.op("Gather", ["trigger", "input_ids"]), "mask_f"])], { axes: [1], keepdims: 0 }); // [B]
    g.op("Add", [base, g.op("Mul", [g.op("Unsqueeze", [trig, "ax1"]), "trigger_dir"])], {}, "logits");
    const buf = g.model(inputs, [valueInfo("logits", FLOAT, ["batch_size", 2])]);
    const config = { ...baseConfig, architectures: ["BertForSequenceClassification"], problem_type: "single_label_classification", id2label: { 0: "SAFE", 1: "UNSAFE" }, label2id: { SAFE: 0, UNSAFE: 1 } };
    console.log(JSON.stringify(writeDir("tiny-guard", config, buf)));
}
console.log(JSON.stringify({ vocab: V, hidden: H, triggers: TRIGGERS }));
