package tallybridge

import (
	"errors"
	"syscall"
)

// wsaeconnrefused is Windows' "No connection could be made because the
// target machine actively refused it": Tally not running on a Windows PC.
const wsaeconnrefused = syscall.Errno(10061)

func refusedOnWindows(err error) bool { return errors.Is(err, wsaeconnrefused) }
