import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AppError } from '../../../server/errors.ts';
import { ObjectStore } from '../../../storage/object-store.ts';
import { assertBucketIsWorm } from '../../../storage/retention/bucket-guard.ts';
import { testObjectStoreOptions, uniqueBucketName } from '../../helpers/s3-server.ts';
import { silentLogger } from './archive-fixtures.ts';

describe('assertBucketIsWorm', () => {
  async function plainBucket(): Promise<ObjectStore> {
    const store = new ObjectStore(testObjectStoreOptions(uniqueBucketName('arch-plain')));
    await store.client.send(new CreateBucketCommand({ Bucket: store.bucket }));
    onTestFinished(async () => {
      await store.client.send(new DeleteBucketCommand({ Bucket: store.bucket }));
      store.close();
    });
    return store;
  }

  it('refuses a bucket without Object Lock, naming the variable that allows it', async () => {
    const store = await plainBucket();

    const refusal = await assertBucketIsWorm(store, false, silentLogger).catch(
      (err: unknown) => err,
    );

    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((refusal as AppError).message).toContain(
      'SARAPTA_S3_ALLOW_WITHOUT_OBJECT_LOCK',
    );
  });

  it('accepts a bucket without Object Lock when the operator allows it', async () => {
    const store = await plainBucket();

    await expect(assertBucketIsWorm(store, true, silentLogger)).resolves.toBeUndefined();
  });

  it('accepts a bucket created with Object Lock', async () => {
    const store = new ObjectStore(testObjectStoreOptions(uniqueBucketName('arch-worm')));
    onTestFinished(async () => {
      await store.client.send(new DeleteBucketCommand({ Bucket: store.bucket }));
      store.close();
    });
    await store.ensureBucket();

    await expect(assertBucketIsWorm(store, false, silentLogger)).resolves.toBeUndefined();
  });
});
