package json
import ("testing";"time")
func TestSlowInputs(t *testing.T){
 c:=New(); c.Configure(map[string]string{"schemas.enable":"true"},false)
 for _,in:=range []string{`{"schema":{"type":"int64"},"payload":1e-2000000000}`,`{"schema":{"type":"int64"},"payload":1e2000000000}`,`{"schema":{"type":"int64"},"payload":1.5e-399999}`,`{"schema":{"type":"float"},"payload":1e-2000000000}`,`{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":1e2000000000}`}{
  st:=time.Now(); s,v,err:=c.ToConnect("t",nil,[]byte(in)); d:=time.Since(st)
  st=time.Now(); if err==nil { c.FromConnect("t",nil,s,v) }; t.Logf("%v %v %.60s %v", d, time.Since(st), in, err)
 }
}
