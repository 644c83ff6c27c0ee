/** Readiness of the media workers: there are some, and each one answers. */
import type { Worker } from 'mediasoup/types';
import type { ReadinessCheck } from '../readiness.ts';

/** The part of a mediasoup Worker this check uses. */
export type CheckedWorker = Pick<Worker, 'pid' | 'closed' | 'died' | 'getResourceUsage'>;

/** Fails when there is no worker, or one has died, closed or does not answer. */
export function mediasoupWorkersCheck(
  getWorkers: () => readonly CheckedWorker[],
): ReadinessCheck {
  return {
    name: 'mediasoup-workers',
    async check() {
      const workers = getWorkers();
      if (workers.length === 0) throw new Error('no mediasoup worker is running');

      for (const worker of workers) {
        if (worker.died) throw new Error(`mediasoup worker ${worker.pid} died`);
        if (worker.closed) throw new Error(`mediasoup worker ${worker.pid} is closed`);
      }

      // A hung worker is alive but useless: a round trip over its channel proves it serves.
      await Promise.all(workers.map((worker) => worker.getResourceUsage()));
    },
  };
}
