// The official TypeScript SDK v2 client (@modelcontextprotocol/client 2.4.0) pinned to MCP 2026-07-28, as a peer for
// the modern-era ITs: it connects over Streamable HTTP (server/discover first), lists the tools, calls one, and, when
// asked, reads a resource and gets a prompt; it prints what it saw as one line of JSON, or {"error": ...} and exits 1.
// With "answers", it declares sampling, elicitation (form and URL) and roots, and its handlers answer what the server
// asks in input_required results (the SDK retries on its own): sampling with answers.sampling as the text, elicitation
// accepted with answers.elicitation as the content, roots as answers.roots; what it was asked is in "asked".
// Given a "listen" filter it first opens a subscriptions/listen stream and, after the call, waits for the tools'
// list_changed on it and lists the tools again.
// Usage: node modern-client.mjs <url> <plan as JSON: {"tool", "arguments", "uri"?, "prompt"?, "promptArguments"?, "answers"?,
// "key"?, "listen"?}> ("key" goes in Authorization: Bearer)
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const [url, planText] = process.argv.slice(2);
const plan = JSON.parse(planText);
const answers = plan.answers;
const capabilities = answers ? { sampling: {}, elicitation: { form: {}, url: {} }, roots: {} } : {};
const client = new Client({ name: 'mcpgw-modern-it', version: '1' }, { capabilities, versionNegotiation: { mode: { pin: '2026-07-28' } } });
const asked = [];
if (answers) {
    client.setRequestHandler('sampling/createMessage', async request => {
        asked.push({ method: 'sampling/createMessage', params: request.params });
        return { model: 'sdk-model', role: 'assistant', content: { type: 'text', text: answers.sampling }, stopReason: 'endTurn' };
    });
    client.setRequestHandler('elicitation/create', async request => {
        asked.push({ method: 'elicitation/create', params: request.params });
        return request.params.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: answers.elicitation };
    });
    client.setRequestHandler('roots/list', async request => {
        asked.push({ method: 'roots/list', params: request.params });
        return { roots: answers.roots };
    });
}
try {
    const requestInit = plan.key ? { headers: { Authorization: `Bearer ${plan.key}` } } : undefined;
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit }));
    const seen = {
        protocolVersion: client.getNegotiatedProtocolVersion(),
        server: client.getServerVersion(),
        capabilities: client.getServerCapabilities(),
    };
    let subscription;
    let listChanged;
    if (plan.listen) {
        listChanged = new Promise(resolve => client.setNotificationHandler('notifications/tools/list_changed', resolve));
        subscription = await client.listen(plan.listen);
        seen.honoredFilter = subscription.honoredFilter;
    }
    seen.tools = (await client.listTools()).tools.map(tool => tool.name);
    seen.call = await client.callTool({ name: plan.tool, arguments: plan.arguments });
    seen.asked = asked;
    if (subscription) {
        const quiet = new Promise(resolve => setTimeout(() => resolve(null), 15000));
        seen.listChanged = await Promise.race([listChanged, quiet]);
        seen.toolsAfter = (await client.listTools()).tools.map(tool => tool.name);
        await subscription.close();
    }
    if (plan.uri) {
        seen.read = await client.readResource({ uri: plan.uri });
    }
    if (plan.prompt) {
        seen.prompt = await client.getPrompt({ name: plan.prompt, arguments: plan.promptArguments ?? {} });
    }
    console.log(JSON.stringify(seen));
    await client.close();
} catch (error) {
    console.log(JSON.stringify({ error: String(error?.message ?? error), code: error?.code }));
    process.exitCode = 1;
    await client.close().catch(() => {});
}
