#!/usr/bin/env bash
# Refits every parameter set in traces/fitted/ from the public data in ../shared (run from the
# project root). Each file's provenance.command is the line below that made it; the test
# test/traces/generate/fitted.test.ts reruns those commands and compares the results.
set -euo pipefail
S=../shared/research/data
R="node bin/rlhf-replay.mjs"
D="${FIT_DATE:-$(date -u +%F)}"
$R traces fit $S/polytrace/verl/profile/packed_length_log/20260614_023133 --family mixture --components 3 --prompt-family mixture --prompt-components 2 --name polytrace-dapo-32b --description "PolyTrace DAPO text RL, Qwen2.5-32B (config verl_dapo_qwen2_5_32b): 6 steps x 96 prompts x 8 samples" --date "$D" --out traces/fitted/polytrace-dapo-32b.json
$R traces fit $S/polytrace/verl-video/profile/packed_length_log/20260609_033329 --family mixture --components 3 --prompt-family mixture --prompt-components 4 --name polytrace-video-grpo --description "PolyTrace video GRPO, Qwen2.5-VL-7B (config verl_video_qwen2_5_vl_7b): 21 steps x 64 prompts x 8 samples, cap 16000 inferred from the data" --date "$D" --out traces/fitted/polytrace-video-grpo.json
$R traces fit $S/polytrace/rllm/profile/packed_length_log/20260616_024512 --family mixture --components 2 --prompt-family lognormal --name polytrace-deepcoder-16k --description "PolyTrace code RL, DeepCoder-14B, 16k cap (config rllm_deepcoder_14b_16k): 5 steps x 16 prompts x 8 samples" --date "$D" --out traces/fitted/polytrace-deepcoder-16k.json
$R traces fit $S/sharegpt-sarathi/sharegpt_8k_filtered_stats_llama2_tokenizer.csv --family mixture --components 3 --prompt-family mixture --prompt-components 4 --upper-bound 1024 --name sharegpt --description "ShareGPT assistant-turn lengths (Llama-2 tokenizer, sarathi-serve): groups of one, none above 1024 tokens" --date "$D" --out traces/fitted/sharegpt.json
$R traces fit $S/azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv --family mixture --components 5 --prompt-family mixture --prompt-components 3 --upper-bound 1000 --name azure-conv --description "Azure LLM inference 2023, conversation service: production chat requests (one response each), 19,366 requests, none above 1000 generated tokens" --date "$D" --out traces/fitted/azure-conv.json
