package sluice

import "fmt"

// ConfigError is Kafka's ConfigException: a configuration value was missing
// or invalid. With Name set it renders as
// "Invalid value <Value> for configuration <Name>: <Msg>"; otherwise Msg alone.
type ConfigError struct {
	Name  string
	Value any
	Msg   string
	Err   error // optional cause
}

// Error implements error.
func (e *ConfigError) Error() string {
	if e.Name == "" {
		return e.Msg
	}
	v := "null"
	if e.Value != nil {
		v = fmt.Sprint(e.Value)
	}
	if e.Msg == "" {
		return "Invalid value " + v + " for configuration " + e.Name
	}
	return "Invalid value " + v + " for configuration " + e.Name + ": " + e.Msg
}

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// NewConfigError returns a ConfigError with a plain message.
func NewConfigError(format string, args ...any) *ConfigError {
	return &ConfigError{Msg: fmt.Sprintf(format, args...)}
}

// MissingConfig returns Kafka's error for a required key without a value.
func MissingConfig(name string) *ConfigError {
	return &ConfigError{Msg: fmt.Sprintf("Missing required configuration %q which has no default value.", name)}
}

// DataError is Connect's DataException: a record's data could not be handled.
type DataError struct {
	Msg string
	Err error
}

// Error implements error.
func (e *DataError) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the cause.
func (e *DataError) Unwrap() error { return e.Err }

// NewDataError returns a DataError with a formatted message.
func NewDataError(format string, args ...any) *DataError {
	return &DataError{Msg: fmt.Sprintf(format, args...)}
}

// RetriableError marks an error after which the operation may be retried
// (Connect's RetriableException).
type RetriableError struct{ Err error }

// Error implements error.
func (e *RetriableError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *RetriableError) Unwrap() error { return e.Err }

// JavaError is an error that Java reports with an exception class other than
// ConfigException or DataException (NullPointerException,
// IllegalArgumentException, …). Class is the Java simple class name; Msg says
// what went wrong in Sluice's words.
type JavaError struct {
	Class string
	Msg   string
}

// Error implements error.
func (e *JavaError) Error() string { return e.Msg }

// NewJavaError returns a JavaError of the given Java class.
func NewJavaError(class, format string, args ...any) *JavaError {
	return &JavaError{Class: class, Msg: fmt.Sprintf(format, args...)}
}

// ErrorClass returns the Java exception class an error corresponds to: the
// outermost of ConfigException, DataException, RetriableException or a
// JavaError class in the wrap chain, or "ConnectException" for anything else.
func ErrorClass(err error) string {
	for e := err; e != nil; {
		switch x := e.(type) {
		case *ConfigError:
			return "ConfigException"
		case *DataError:
			return "DataException"
		case *RetriableError:
			return "RetriableException"
		case *JavaError:
			return x.Class
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			break
		}
		e = u.Unwrap()
	}
	return "ConnectException"
}
