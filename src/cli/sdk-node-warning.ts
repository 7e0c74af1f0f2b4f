/**
 * Imported first by the CLI entry, before any AWS SDK module: the SDK's NodeVersionSupportWarning (Node 20 support
 * ends for versions published from 2027) would otherwise be printed by every command that talks to AWS, and by
 * every `enforce` Terraform runs. A user who sets the variable keeps their own value.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
