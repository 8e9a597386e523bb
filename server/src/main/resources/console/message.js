// The line under the header that tells the operator what an action did, or why it was refused.
export function say(text, kind = 'info') {
  const line = document.getElementById('message');
  line.textContent = text;
  line.className = `message message-${kind}`;
}

/** Runs an action, saying what came of it; resolves to its result, or undefined when it failed (the reason is said). */
export async function act(label, action) {
  try {
    const result = await action();
    say(`${label}: done.`, 'ok');
    return result;
  } catch (error) {
    say(`${label}: ${error.status ? `${error.status} ` : ''}${error.message}`, 'error');
    return undefined;
  }
}
