// The SDK warns once per process that releases after January 2027 need Node 22; the lockfile pins
// today's releases, so the warning is noise in test output (child processes inherit this too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
