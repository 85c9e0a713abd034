// Waits for the test gateway to answer S3, then makes the bucket (with Object Lock) that the tests
// use; called by s3-test-server.sh with S3_ENDPOINT and the AWS credential variables set.
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';

const bucket = process.argv[2];
const client = new S3Client({
  endpoint: process.env.S3_ENDPOINT,
  region: 'us-east-1',
  forcePathStyle: true,
  maxAttempts: 1,
});

const deadline = Date.now() + 30_000;
for (;;) {
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
    break;
  } catch (error) {
    if (error?.name === 'BucketAlreadyOwnedByYou') break;
    // Until the gateway listens, the connection is refused; anything else is a real answer.
    if (!(error?.code === 'ECONNREFUSED' || error?.errno === 'ECONNREFUSED') || Date.now() > deadline) {
      console.error(`creating bucket ${bucket}: ${error?.name ?? ''} ${error?.message ?? error}`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
await client.send(new HeadBucketCommand({ Bucket: bucket }));
console.log(`bucket ${bucket} ready`);
