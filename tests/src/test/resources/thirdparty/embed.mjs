// transformers.js (npm @huggingface/transformers) loads a local model folder exactly as a user's app would, with
// remote models off, and prints the token ids and the mean-pooled, L2-normalized sentence embeddings as JSON.
// Usage: node embed.mjs MODELS_ROOT MODEL_NAME SENTENCE...
import { env, pipeline, AutoTokenizer } from '@huggingface/transformers';

const [root, name, ...sentences] = process.argv.slice(2);
env.allowRemoteModels = false;
env.localModelPath = root;
const tokenizer = await AutoTokenizer.from_pretrained(name);
const ids = sentences.map((s) => Array.from(tokenizer(s).input_ids.data, Number));
const extractor = await pipeline('feature-extraction', name, { dtype: 'fp32' });
const output = await extractor(sentences, { pooling: 'mean', normalize: true });
console.log(JSON.stringify({ ids, embeddings: output.tolist() }));
