package headoffice

import "vitaran/backend/money"

func mq(n int64) money.Qty { return money.Qty(n) }
