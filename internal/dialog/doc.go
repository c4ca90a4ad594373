// Package dialog is the engine that answers: it analyses a question
// (internal/analysis), ranks the initiatives (internal/match) and runs the
// conversation — greeting, menu, language, "more", numbers, details,
// trouble now, nothing fits — returning a bot.Answer. Engine implements
// bot.Answerer; adapters see only that interface.
//
// Conversation state lives behind bot.ConversationStore, so "more" or "2"
// works whichever replica receives the next message.
package dialog
