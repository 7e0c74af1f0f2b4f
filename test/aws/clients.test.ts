/**
 * The run's SDK clients resolve each command's middleware stack once (cacheMiddleware): at thousands of KMS calls
 * per scan the stack's re-sorting per request cost a fifth of the tool's CPU. Nothing of this project changes a
 * client's middleware after its first request (the KMS pacer is added when the client is made). Unit tests.
 */
import { AwsClients } from '../../src/aws/clients';

describe('AwsClients middleware resolution', () => {
  test("GIVEN a run's clients WHEN made THEN IAM, STS, every KMS client and every further client resolve their middleware once per command", () => {
    const clients = new AwsClients({ region: 'us-east-1' });
    try {
      const kms = clients.kms('eu-west-1');

      expect(clients.iam.config.cacheMiddleware).toBe(true);
      expect(clients.sts.config.cacheMiddleware).toBe(true);
      expect(kms.config.cacheMiddleware).toBe(true);
      expect(clients.clientConfig({ region: 'eu-central-1' }).cacheMiddleware).toBe(true);
      expect(clients.clientConfig({ baseCredentials: true }).cacheMiddleware).toBe(true);
    } finally {
      clients.destroy();
    }
  });
});
