"""Answer engines: the offline default and the LangChain chat-model engine, behind one protocol."""
