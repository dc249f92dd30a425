#!/usr/bin/env node
// makeTinyLlamaGguf.mjs — write a tiny random-weight llama-architecture GGUF that
// llama.cpp / node-llama-cpp can load, with a real byte-level BPE tokenizer (Llama-3 style
// special tokens + Llama-3 chat template). Pure Node.js, no dependencies.
//
// usage: node makeTinyLlamaGguf.mjs OUT.gguf [--layers 2] [--embd 64] [--heads 4] [--kv-heads 2]
//        [--ff 128] [--merges 600] [--ctx 2048] [--seed 42] [--f16] [--template llama3|llama3.1]
//   --endless: the special tokens (end of turn, end of text, headers) get a zero output row and every other
//   row is scaled up, so their logits sit far below the best one and generation practically never ends
//   before maxTokens. Tests of cancellation and benchmarks use it for runs of a known length.
//   --template llama3.1 only adds the <|eom_id|>/<|python_tag|> special tokens; the chat template stays Llama 3's.
//   Output: ~0.6 MB (F32) / ~0.3 MB (--f16) for the defaults, written in ~0.2 s. Random weights: the text is gibberish,
//   but tokenization, chat templating, streaming, stop/abort and context handling are real.
//
// GGUF v3 layout (little endian):
//   "GGUF" u32 version=3, u64 n_tensors, u64 n_kv,
//   kv*: gguf_string key, u32 type, value
//   tensor_info*: gguf_string name, u32 n_dims, u64 ne[n_dims] (ne[0] = contiguous dim), u32 ggml_type, u64 offset
//   pad to general.alignment (32), tensor data (each tensor offset aligned to 32)
import fs from "node:fs";

// ---------- args ----------
const argv = process.argv.slice(2);
const out = argv[0] && !argv[0].startsWith("--") ? argv[0] : "tiny-llama.gguf";
const opt = (name, def) => { const i = argv.indexOf("--" + name); return i >= 0 ? argv[i + 1] : def; };
const P = {
    nLayer: +opt("layers", 2), nEmbd: +opt("embd", 64), nHead: +opt("heads", 4), nHeadKv: +opt("kv-heads", 2),
    nFf: +opt("ff", 128), nMerges: +opt("merges", 600), nCtx: +opt("ctx", 2048), seed: +opt("seed", 42),
    f16: argv.includes("--f16"), endless: argv.includes("--endless"), template: opt("template", "llama3"),
};
const headDim = P.nEmbd / P.nHead;
if (!Number.isInteger(headDim) || P.nHead % P.nHeadKv !== 0) throw new Error("embd must divide by heads, heads by kv-heads");

// ---------- deterministic PRNG ----------
let s = P.seed >>> 0;
const rand = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const randn = () => { const u = Math.max(rand(), 1e-12), v = rand(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); };

// ---------- byte-level BPE tokenizer (GPT-2 byte<->unicode map, Llama-3 pre-tokenizer) ----------
function bytesToUnicode() {
    const bs = [];
    for (let b = 33; b <= 126; b++) bs.push(b);
    for (let b = 161; b <= 172; b++) bs.push(b);
    for (let b = 174; b <= 255; b++) bs.push(b);
    const cs = [...bs]; let n = 0;
    for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
    const m = new Map(); bs.forEach((b, i) => m.set(b, String.fromCodePoint(cs[i]))); return m;
}
const B2U = bytesToUnicode();
// Llama-3 pre-tokenizer regex (the (?i:) group expanded, as JS in Node 20 lacks inline flags)
const PRETOK = /(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
const CORPUS = `The quick brown fox jumps over the lazy dog. Hello world! This is a tiny test model.
You are a helpful assistant. The user asks a question and the assistant answers it clearly.
function add(a, b) { return a + b; } const value = await fetch(url); export default class Server {}
import { createConnection } from "vscode-languageserver/node"; interface Options { name: string; }
In the beginning there was a repository, and the repository had issues, pull requests and commits.
Please review this code and explain what it does. Summarize the changes in the following diff.
The model should answer with short sentences. Numbers like 1, 2, 3, 10, 42, 100 and 2024 appear too.
error: cannot find module; warning: unused variable; note: see the documentation for more details.
`.repeat(3);
function trainMerges(text, nMerges) {
    const words = new Map(); // word (array of symbols joined by \u0000) -> count
    for (const m of text.matchAll(PRETOK)) {
        const syms = [...Buffer.from(m[0], "utf8")].map((b) => B2U.get(b));
        const k = syms.join("\u0000"); words.set(k, (words.get(k) ?? 0) + 1);
    }
    let ws = [...words].map(([k, c]) => [k.split("\u0000"), c]);
    const merges = [];
    for (let i = 0; i < nMerges; i++) {
        const pairs = new Map();
        for (const [syms, c] of ws) for (let j = 0; j < syms.length - 1; j++) { const p = syms[j] + " " + syms[j + 1]; pairs.set(p, (pairs.get(p) ?? 0) + c); }
        let best = null, bc = 0;
        for (const [p, c] of pairs) if (c > bc || (c === bc && p < best)) { best = p; bc = c; }
        if (best === null || bc < 2) break;
        merges.push(best);
        const [a, b] = best.split(" ");
        ws = ws.map(([syms, c]) => { const o = []; for (let j = 0; j < syms.length; j++) { if (j < syms.length - 1 && syms[j] === a && syms[j + 1] === b) { o.push(a + b); j++; } else o.push(syms[j]); } return [o, c]; });
    }
    return merges;
}
const merges = trainMerges(CORPUS, P.nMerges);
const tokens = [...B2U.values()].sort((x, y) => x.codePointAt(0) - y.codePointAt(0)); // 256 byte tokens
const tokenType = tokens.map(() => 1); // 1 = NORMAL
for (const m of merges) { const t = m.replace(" ", ""); if (!tokens.includes(t)) { tokens.push(t); tokenType.push(1); } }
const SPECIAL = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];
if (P.template === "llama3.1") SPECIAL.push("<|eom_id|>", "<|python_tag|>", "<|finetune_right_pad_id|>");
const specialId = {};
for (const t of SPECIAL) { specialId[t] = tokens.length; tokens.push(t); tokenType.push(3); } // 3 = CONTROL
const nVocab = tokens.length;

const LLAMA3_TEMPLATE = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

// ---------- GGUF writer ----------
const T = { U8: 0, I8: 1, U16: 2, I16: 3, U32: 4, I32: 5, F32: 6, BOOL: 7, STR: 8, ARR: 9, U64: 10, I64: 11, F64: 12 };
const GGML = { F32: 0, F16: 1 };
class GGUFWriter {
    kv = []; tensors = []; alignment = 32;
    add(key, type, value, arrType) { this.kv.push({ key, type, value, arrType }); return this; }
    tensor(name, ne, f32) {
        const n = ne.reduce((a, b) => a * b, 1);
        if (f32.length !== n) throw new Error(`${name}: ${f32.length} != ${n}`);
        const type = P.f16 && ne.length > 1 ? GGML.F16 : GGML.F32; // keep 1-D norms in F32
        const data = type === GGML.F16 ? f32ToF16Bytes(f32) : Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength);
        this.tensors.push({ name, ne, type, data });
    }
    write(path) {
        const parts = []; const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); parts.push(b); };
        const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); parts.push(b); };
        const str = (v) => { const b = Buffer.from(v, "utf8"); u64(b.length); parts.push(b); };
        const scalar = (type, v) => {
            const b = Buffer.alloc({ [T.U8]: 1, [T.I8]: 1, [T.BOOL]: 1, [T.U16]: 2, [T.I16]: 2, [T.U32]: 4, [T.I32]: 4, [T.F32]: 4, [T.U64]: 8, [T.I64]: 8, [T.F64]: 8 }[type]);
            switch (type) { case T.U8: case T.BOOL: b.writeUInt8(+v); break; case T.I8: b.writeInt8(v); break; case T.U16: b.writeUInt16LE(v); break;
                case T.I16: b.writeInt16LE(v); break; case T.U32: b.writeUInt32LE(v); break; case T.I32: b.writeInt32LE(v); break;
                case T.F32: b.writeFloatLE(v); break; case T.U64: b.writeBigUInt64LE(BigInt(v)); break; case T.I64: b.writeBigInt64LE(BigInt(v)); break; case T.F64: b.writeDoubleLE(v); break; }
            parts.push(b);
        };
        parts.push(Buffer.from("GGUF", "latin1")); u32(3); u64(this.tensors.length); u64(this.kv.length);
        for (const { key, type, value, arrType } of this.kv) {
            str(key); u32(type);
            if (type === T.STR) str(value);
            else if (type === T.ARR) { u32(arrType); u64(value.length); for (const v of value) arrType === T.STR ? str(v) : scalar(arrType, v); }
            else scalar(type, value);
        }
        let off = 0; const pad = (x) => (x + this.alignment - 1) & ~(this.alignment - 1);
        for (const t of this.tensors) { str(t.name); u32(t.ne.length); for (const d of t.ne) u64(d); u32(t.type); u64(off); t.off = off; off = pad(off + t.data.length); }
        let head = Buffer.concat(parts); head = Buffer.concat([head, Buffer.alloc(pad(head.length) - head.length)]);
        const body = Buffer.alloc(off); for (const t of this.tensors) t.data.copy(body, t.off);
        fs.writeFileSync(path, Buffer.concat([head, body]));
        return head.length + body.length;
    }
}
function f32ToF16Bytes(f32) {
    const b = Buffer.alloc(f32.length * 2), f = new Float32Array(1), u = new Uint32Array(f.buffer);
    for (let i = 0; i < f32.length; i++) {
        f[0] = f32[i]; const x = u[0], sign = (x >>> 16) & 0x8000; let e = ((x >>> 23) & 0xff) - 127 + 15, m = x & 0x7fffff, h;
        if (e <= 0) h = sign; else if (e >= 31) h = sign | 0x7c00; else { h = sign | (e << 10) | (m >>> 13); if (m & 0x1000) h++; }
        b.writeUInt16LE(h & 0xffff, i * 2);
    }
    return b;
}

// ---------- model ----------
const W = new GGUFWriter();
const arch = "llama";
W.add("general.architecture", T.STR, arch)
    .add("general.name", T.STR, "tiny-random-llama-3")
    .add("general.basename", T.STR, "tiny-random-llama-3")
    .add("general.file_type", T.U32, P.f16 ? 1 : 0)
    .add("general.alignment", T.U32, 32)
    .add(`${arch}.vocab_size`, T.U32, nVocab)
    .add(`${arch}.context_length`, T.U32, P.nCtx)
    .add(`${arch}.embedding_length`, T.U32, P.nEmbd)
    .add(`${arch}.block_count`, T.U32, P.nLayer)
    .add(`${arch}.feed_forward_length`, T.U32, P.nFf)
    .add(`${arch}.attention.head_count`, T.U32, P.nHead)
    .add(`${arch}.attention.head_count_kv`, T.U32, P.nHeadKv)
    .add(`${arch}.rope.dimension_count`, T.U32, headDim)
    .add(`${arch}.rope.freq_base`, T.F32, 500000)
    .add(`${arch}.attention.layer_norm_rms_epsilon`, T.F32, 1e-5)
    .add("tokenizer.ggml.model", T.STR, "gpt2")
    .add("tokenizer.ggml.pre", T.STR, "llama-bpe")
    .add("tokenizer.ggml.tokens", T.ARR, tokens, T.STR)
    .add("tokenizer.ggml.token_type", T.ARR, tokenType, T.I32)
    .add("tokenizer.ggml.merges", T.ARR, merges, T.STR)
    .add("tokenizer.ggml.bos_token_id", T.U32, specialId["<|begin_of_text|>"])
    .add("tokenizer.ggml.eos_token_id", T.U32, specialId["<|eot_id|>"])
    .add("tokenizer.ggml.padding_token_id", T.U32, specialId["<|end_of_text|>"])
    .add("tokenizer.ggml.add_bos_token", T.BOOL, true)
    .add("tokenizer.chat_template", T.STR, LLAMA3_TEMPLATE);

const randT = (n, std) => { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = randn() * std; return a; };
const ones = (n) => new Float32Array(n).fill(1);
const std = 0.02 * 8; // bigger than usual init so that the random model's logits are not flat
const nEmbdKv = headDim * P.nHeadKv;
W.tensor("token_embd.weight", [P.nEmbd, nVocab], randT(P.nEmbd * nVocab, std));
for (let l = 0; l < P.nLayer; l++) {
    W.tensor(`blk.${l}.attn_norm.weight`, [P.nEmbd], ones(P.nEmbd));
    W.tensor(`blk.${l}.attn_q.weight`, [P.nEmbd, P.nEmbd], randT(P.nEmbd * P.nEmbd, std));
    W.tensor(`blk.${l}.attn_k.weight`, [P.nEmbd, nEmbdKv], randT(P.nEmbd * nEmbdKv, std));
    W.tensor(`blk.${l}.attn_v.weight`, [P.nEmbd, nEmbdKv], randT(P.nEmbd * nEmbdKv, std));
    W.tensor(`blk.${l}.attn_output.weight`, [P.nEmbd, P.nEmbd], randT(P.nEmbd * P.nEmbd, std));
    W.tensor(`blk.${l}.ffn_norm.weight`, [P.nEmbd], ones(P.nEmbd));
    W.tensor(`blk.${l}.ffn_gate.weight`, [P.nEmbd, P.nFf], randT(P.nEmbd * P.nFf, std));
    W.tensor(`blk.${l}.ffn_up.weight`, [P.nEmbd, P.nFf], randT(P.nEmbd * P.nFf, std));
    W.tensor(`blk.${l}.ffn_down.weight`, [P.nFf, P.nEmbd], randT(P.nFf * P.nEmbd, std));
}
W.tensor("output_norm.weight", [P.nEmbd], ones(P.nEmbd));
const outputWeight = randT(P.nEmbd * nVocab, std);
if (P.endless) {
    // Row t of output.weight (ne = [nEmbd, nVocab]) is elements t*nEmbd .. (t+1)*nEmbd.
    const specialIds = new Set(Object.values(specialId));
    for (let t = 0; t < nVocab; t++) {
        for (let d = 0; d < P.nEmbd; d++) outputWeight[t * P.nEmbd + d] = specialIds.has(t) ? 0 : outputWeight[t * P.nEmbd + d] * 4;
    }
}
W.tensor("output.weight", [P.nEmbd, nVocab], outputWeight);

const bytes = W.write(out);
console.log(JSON.stringify({ out, bytes, nVocab, merges: merges.length, special: specialId, ...P }));
