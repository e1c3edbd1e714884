// Gives the page a turn between the steps of a long job (init), so no single task blocks input for long.
// scheduler.yield() keeps our place in the queue; MessageChannel is the fallback because hidden tabs throttle
// setTimeout to once a second.
export function nextTask() {
  const { scheduler } = globalThis;
  if (scheduler && typeof scheduler.yield === 'function') return scheduler.yield();
  if (typeof MessageChannel === 'function' && typeof document !== 'undefined') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
