# English pages: Monday, 7 December 2026, 14:05. A 24-hour clock, as in the branches, and no
# "a.m." whose full stop doubles at the end of a sentence.
DATE_FORMAT = "l, j F Y"
DATETIME_FORMAT = "l, j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1
