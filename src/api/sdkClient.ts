import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages } from '@anthropic-ai/sdk/resources/messages/messages';
import { Models } from '@anthropic-ai/sdk/resources/models';
import { Organization } from '@anthropic-ai/sdk/resources/organization/organization';

/**
 * The SDK's own client with only the resources Claude Keys calls. The full client also builds beta,
 * files, skills and tool runners, which would more than double dist/sdk.js and the first call's wait.
 * Used by the extension (src/api/sdk.ts) and the CLI's --verify.
 */
export class ClaudeKeysSdk extends BaseAnthropic {
  readonly messages = new Messages(this);
  readonly models = new Models(this);
  readonly organization = new Organization(this);
}
