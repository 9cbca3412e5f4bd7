// The OpenAI-compatible stand-in for the browser tests (no LLM is reachable from CI): Margin is configured for it
// through LLM_BASE_URL exactly as for vLLM or Ollama. Started by playwright.config.ts beside Margin.
import { startFakeOpenAIServer } from "../helpers/fake-openai-server";

const port = Number(process.env.FAKE_LLM_PORT ?? 3199);
// A small delay per answer, so that a run's progress is visible in the browser rather than instant.
const server = await startFakeOpenAIServer({ port, delayMs: Number(process.env.FAKE_LLM_DELAY_MS ?? 150) });
console.log(`fake OpenAI-compatible server at ${server.url}`);
const stop = () => void server.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
