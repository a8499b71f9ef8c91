// SPDX-License-Identifier: GPL-3.0-or-later
// Drives ag-cl with the real `openai` npm SDK (build-aux/install-agent-clients.sh openai-sdk). One case per run:
//   node openai-sdk.cjs CASE   with OPENAI_SDK_DIR, OPENAI_BASE_URL (…/v1), OPENAI_API_KEY and MODEL set.
// Prints one JSON line with what the client saw; any error the SDK raises fails the run (exit 1).
'use strict';
const { OpenAI } = require(process.env.OPENAI_SDK_DIR + '/node_modules/openai');

const client = new OpenAI({ maxRetries: 0, timeout: 60000 });
const model = process.env.MODEL;
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather', description: 'The weather in a city.',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

const cases = {
  async models() {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    return { ids };
  },
  async chat() {
    const r = await client.chat.completions.create({
      model, max_completion_tokens: 200,
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'say hello' }],
    });
    return { text: r.choices[0].message.content, finish: r.choices[0].finish_reason, usage: r.usage };
  },
  // The .stream() helper checks the chunk sequence: role first, tool call indexes, a finish_reason.
  async 'chat-stream'() {
    const stream = client.chat.completions.stream({
      model, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'please stream something' }],
    });
    let deltas = 0;
    stream.on('content', () => deltas++);
    const final = await stream.finalChatCompletion();
    return { text: final.choices[0].message.content, finish: final.choices[0].finish_reason, deltas,
             usage: final.usage };
  },
  async 'chat-tool'() {
    const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.chat.completions.stream({ model, messages, tools: [weatherTool], tool_choice: 'auto' })
      .finalChatCompletion();
    const message = first.choices[0].message;
    const call = message.tool_calls[0];
    const args = JSON.parse(call.function.arguments);
    messages.push(message, { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ temp_c: 21 }) });
    const second = await client.chat.completions.create({ model, messages, tools: [weatherTool] });
    return { finish1: first.choices[0].finish_reason, tool: call.function.name, args,
             text: second.choices[0].message.content };
  },
  async 'chat-bad-tool-output'() {
    try {
      await client.chat.completions.create({
        model, messages: [{ role: 'user', content: 'hi' }, { role: 'tool', tool_call_id: 'call_nowhere', content: 'x' }],
      });
      return { status: 200 };
    } catch (e) {
      return { status: e.status, type: e.type, message: e.message };
    }
  },
  async 'responses-stream'() {
    const stream = client.responses.stream({ model, instructions: 'be terse', input: 'please stream something' });
    let deltas = 0;
    stream.on('response.output_text.delta', () => deltas++);
    const final = await stream.finalResponse();
    return { text: final.output_text, status: final.status, deltas, usage: final.usage };
  },
  async responses() {
    const r = await client.responses.create({ model, input: [{ role: 'user', content: 'say hello' }] });
    return { text: r.output_text, status: r.status, usage: r.usage };
  },
  async 'responses-tool'() {
    const tools = [{ type: 'function', name: 'get_weather', description: 'The weather in a city.', strict: true,
                     parameters: weatherTool.function.parameters }];
    const input = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.responses.stream({ model, input, tools }).finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    input.push(...first.output, { type: 'function_call_output', call_id: call.call_id, output: '{"temp_c":21}' });
    const second = await client.responses.create({ model, input, tools });
    return { tool: call.name, args: JSON.parse(call.arguments), text: second.output_text };
  },
};

cases[process.argv[2]]().then(
  (result) => console.log(JSON.stringify(result)),
  (error) => { console.error(String(error && error.stack || error)); process.exit(1); });
