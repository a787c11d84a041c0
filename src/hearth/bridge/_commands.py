"""The bridge's fixed texts and the command list registered with Telegram."""

from __future__ import annotations

from telegram import BotCommand

COMMANDS = [
    BotCommand("start", "say hello"),
    BotCommand("help", "what I can do"),
    BotCommand("reset", "clear our recent conversation"),
    BotCommand("forget", "delete everything stored about this chat"),
    BotCommand("status", "workers, queue and your pending messages"),
    BotCommand("reminders", "list your reminders; /reminders cancel N cancels one"),
    BotCommand("spec", "which assistant spec is running"),
    BotCommand("bad", "mark my last reply as bad"),
    BotCommand("approve", "approve a spec the nightly search proposed"),
    BotCommand("rollback", "undo the last spec change"),
    BotCommand("tz", "set this chat's time zone"),
]

START = ("Hi! I'm Hearth, your assistant. I run on your own computer, so what you tell me "
         "stays there. Just write to me. /help lists the commands.")
HELP = ("Write to me in plain text. Commands:\n"
        "/reset – clear our recent conversation (remembered facts stay)\n"
        "/forget – delete everything stored about this chat\n"
        "/status – workers online, queue depth, your pending messages\n"
        "/reminders – your pending reminders; /reminders cancel N cancels one\n"
        "/spec – the assistant spec that is running\n"
        "/bad – mark my last reply as bad (👍/👎 buttons and reactions work too)\n"
        "/tz ZONE – this chat's time zone, e.g. /tz Europe/Berlin")
REFUSAL = ("Sorry, I only talk to people my owner has allowed. Your Telegram user id is {user_id}"
           " — send it to the owner, or ask them for a pairing code and send /pair CODE.")
TEXT_ONLY = "I read text only for now."
FORGET_CONFIRM = ("This deletes everything I stored about this chat: history, remembered "
                  "facts and traces. Send /forget yes to confirm.")
TOO_MANY = "I'm still working on your earlier messages; please wait for those answers first."
OFFLINE = ("Your home worker ({worker}) is offline right now. Your message waits in the "
           "queue and I'll answer as soon as it's back.")
NO_WORKER = ("No worker is online right now. Your message waits in the queue and I'll "
             "answer as soon as one starts.")
QUEUE_DOWN = ("I can't reach my message queue right now. I'll keep trying; your message "
              "isn't lost.")
NO_REMINDERS = "You have no pending reminders."
REMINDERS = "Your reminders:\n{lines}\nCancel one with /reminders cancel N."
REMINDER_CANCELLED = "Cancelled reminder {n}: {text}"
NO_SUCH_REMINDER = "There is no reminder {n}; /reminders lists them with their numbers."
PAIRED = "Paired! You can talk to me now."
PAIR_WRONG = "That pairing code is wrong or expired."
PAIR_LIMITED = "Too many wrong pairing codes; try again in an hour."
APPROVE_OWNER_ONLY = ("Only the owner (HEARTH_ALLOWED_USERS) can approve specs, "
                      "in a private chat with me.")
