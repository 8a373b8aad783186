"""Pure Block Kit renderers: result models in, `slack_sdk.models.blocks` out; no I/O."""
