"""The review of conversations: `make report` (reports/conversations.html and the unanswered questions as CSV)."""
