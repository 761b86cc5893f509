# Chinese pages: 2026年12月7日 星期一 14:05 (Django's own zh_Hans formats lack the weekday).
DATE_FORMAT = "Y年n月j日 l"
DATETIME_FORMAT = "Y年n月j日 l H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1
