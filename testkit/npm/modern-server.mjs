// A backend written with the official TypeScript SDK v2 (@modelcontextprotocol/server 2.4.0), speaking MCP
// 2026-07-28, for the ITs of the gateway's modern egress.
// Usage: node modern-server.mjs <modern|dual> <stdio|http>
//   modern: 2026-07-28 only (an `initialize` is refused with the versions it supports); dual: both eras.
//   stdio: serves on stdin/stdout; http: Streamable HTTP on 127.0.0.1, port 0, printing "PORT <n>" on stdout.
// Tools: echo (text), headers (which Mcp-* request headers and _meta it got; `region` is an x-mcp-header
// parameter), fail (a tool error), ask (answers input_required), pid (the serving process), meet (waits for a
// second call to be in flight with it), badheader (an invalid
// x-mcp-header mark), die (exits the process), grow (adds the tool `grown` and announces the change on
// subscriptions/listen); a resource `test://modern/readme`; a prompt `greet`.
import http from 'node:http';
import { McpServer, createMcpHandler, fromJsonSchema } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const [era, transport] = process.argv.slice(2);
/** Whether `grow` was called: the instances built from then on have the tool `grown` too. */
let grown = false;
/** How many calls of `meet` are in this process. */
let meeting = 0;
/** Announces a changed tool list to the open subscriptions/listen streams. */
let toolsChanged = () => {};
if (!['modern', 'dual'].includes(era) || !['stdio', 'http'].includes(transport)) {
    console.error('usage: node modern-server.mjs <modern|dual> <stdio|http>');
    process.exit(2);
}

/** The server for one serving unit; `headers` are the HTTP request's, on HTTP. */
function build(ctx) {
    const headers = {};
    ctx.requestInfo?.headers.forEach((value, name) => {
        if (name.startsWith('mcp-')) {
            headers[name] = value;
        }
    });
    const server = new McpServer({ name: `modern-${era}`, version: '2.4.0' },
        { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: `a ${era} test backend` });
    server.registerTool('echo', {
        description: 'Echoes its text',
        inputSchema: fromJsonSchema({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] })
    }, async ({ text }) => ({ content: [{ type: 'text', text: `${ctx.era}: ${text}` }] }));
    server.registerTool('headers', {
        description: 'Tells which Mcp-* headers and _meta the request came with',
        inputSchema: fromJsonSchema({
            type: 'object',
            properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, query: { type: 'string' } },
            required: ['region']
        })
    }, async (args, extra) => ({
        content: [{ type: 'text', text: JSON.stringify({ headers, era: ctx.era, meta: extra?.mcpReq?.envelope ?? null }) }],
        structuredContent: { headers, era: ctx.era, meta: extra?.mcpReq?.envelope ?? null }
    }));
    server.registerTool('fail', {
        description: 'Fails as a tool',
        inputSchema: fromJsonSchema({ type: 'object', properties: {} })
    }, async () => ({ isError: true, content: [{ type: 'text', text: 'it failed on purpose' }] }));
    const addGrown = () => server.registerTool('grown', {
        description: 'There once grow was called',
        inputSchema: fromJsonSchema({ type: 'object', properties: {} })
    }, async () => ({ content: [{ type: 'text', text: 'I grew' }] }));
    server.registerTool('grow', {
        description: 'Adds the tool grown',
        inputSchema: fromJsonSchema({ type: 'object', properties: {} })
    }, async () => {
        if (!grown) {
            grown = true;
            addGrown();
            toolsChanged(server);
        }
        return { content: [{ type: 'text', text: 'grown' }] };
    });
    if (grown) {
        addGrown();
    }
    server.registerTool('ask', {
        description: 'Answers input_required (a multi round-trip request)',
        inputSchema: fromJsonSchema({ type: 'object', properties: {} })
    }, async () => ({ resultType: 'input_required', requestState: 'asked-once' }));
    server.registerTool('pid', {
        description: 'Tells which process serves the call',
        inputSchema: fromJsonSchema({ type: 'object', properties: {} })
    }, async () => ({ content: [{ type: 'text', text: String(process.pid) }] }));
    server.registerTool('badheader', {
        description: 'Marks a number parameter with x-mcp-header, which the spec does not allow',
        inputSchema: fromJsonSchema({ type: 'object', properties: { ratio: { type: 'number', 'x-mcp-header': 'Ratio' } } })
    }, async () => ({ content: [{ type: 'text', text: 'should not be callable through a client' }] }));
    server.registerTool('meet', {
        description: 'Waits (at most 10 s) until another call of meet is in this process too',
        inputSchema: fromJsonSchema({ type: 'object', properties: {} })
    }, async () => {
        meeting++;
        const deadline = Date.now() + 10000;
        while (meeting < 2 && Date.now() < deadline) {
            await new Promise(resolve => setTimeout(resolve, 20));
        }
        const met = meeting >= 2;
        setTimeout(() => { meeting = 0; }, 200);
        return { content: [{ type: 'text', text: met ? 'met' : 'alone' }] };
    });
    server.registerTool('die', {
        description: 'Exits the backend process',
        inputSchema: fromJsonSchema({ type: 'object', properties: {} })
    }, async () => {
        setTimeout(() => process.exit(3), 10);
        return new Promise(() => {});
    });
    server.registerResource('readme', 'test://modern/readme', { mimeType: 'text/plain', description: 'A text' },
        async uri => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: `the ${era} readme` }] }));
    server.registerPrompt('greet', {
        description: 'Greets someone',
        argsSchema: fromJsonSchema({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] })
    }, async ({ name }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Hello, ${name}` } }] }));
    return server;
}

if (transport === 'stdio') {
    toolsChanged = server => server.sendToolListChanged();
    serveStdio(build, { legacy: era === 'modern' ? 'reject' : 'serve', onerror: error => console.error(error.message) });
} else {
    const handler = createMcpHandler(build, { legacy: era === 'modern' ? 'reject' : 'stateless' });
    toolsChanged = () => handler.notify.toolsChanged();
    const listener = http.createServer(async (req, res) => {
        const chunks = [];
        for await (const chunk of req) {
            chunks.push(chunk);
        }
        const body = Buffer.concat(chunks);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
            headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const request = new Request(`http://127.0.0.1${req.url}`, {
            method: req.method, headers, body: ['GET', 'HEAD'].includes(req.method) ? undefined : body
        });
        const response = await handler.fetch(request);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) {
            for await (const chunk of response.body) {
                res.write(chunk);
            }
        }
        res.end();
    });
    listener.listen(0, '127.0.0.1', () => console.log(`PORT ${listener.address().port}`));
}
