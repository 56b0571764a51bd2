# Texts of the activity module.

tab-activity = Aktivität
# Aktivität
activity-log = Aktivität
change-history = Änderungsverlauf
history-when = Wann
history-who = Wer
history-field = Feld
history-old = Alt
history-new = Neu
