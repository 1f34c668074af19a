/**
 * Port → service names for the unknown-port check and for scan descriptions. The first table is
 * Debian's netbase `/etc/services` (IANA assignments in common use); the second adds registered
 * and de-facto ports that everyday traffic uses but netbase leaves out, so that ordinary traffic
 * is not reported as going to an "unknown" port.
 */

// Each line: a service name, then the `port/proto` pairs it uses.
const NETBASE = `
tcpmux 1/tcp
echo 7/tcp 7/udp
discard 9/tcp 9/udp
systat 11/tcp
daytime 13/tcp 13/udp
netstat 15/tcp
qotd 17/tcp
chargen 19/tcp 19/udp
ftp-data 20/tcp
ftp 21/tcp
fsp 21/udp
ssh 22/tcp
telnet 23/tcp
smtp 25/tcp
time 37/tcp 37/udp
whois 43/tcp
tacacs 49/tcp 49/udp
domain 53/tcp 53/udp
bootps 67/udp
bootpc 68/udp
tftp 69/udp
gopher 70/tcp
finger 79/tcp
http 80/tcp
kerberos 88/tcp 88/udp
iso-tsap 102/tcp
acr-nema 104/tcp
pop3 110/tcp
sunrpc 111/tcp 111/udp
auth 113/tcp
nntp 119/tcp
ntp 123/udp
epmap 135/tcp
netbios-ns 137/udp
netbios-dgm 138/udp
netbios-ssn 139/tcp
imap2 143/tcp
snmp 161/tcp 161/udp
snmp-trap 162/tcp 162/udp
cmip-man 163/tcp 163/udp
cmip-agent 164/tcp 164/udp
mailq 174/tcp
xdmcp 177/udp
bgp 179/tcp
smux 199/tcp
qmtp 209/tcp
z3950 210/tcp
ipx 213/udp
ptp-event 319/udp
ptp-general 320/udp
pawserv 345/tcp
zserv 346/tcp
rpc2portmap 369/tcp 369/udp
codaauth2 370/tcp 370/udp
clearcase 371/udp
ldap 389/tcp 389/udp
svrloc 427/tcp 427/udp
https 443/tcp 443/udp
snpp 444/tcp
microsoft-ds 445/tcp
kpasswd 464/tcp 464/udp
submissions 465/tcp
saft 487/tcp
isakmp 500/udp
rtsp 554/tcp 554/udp
nqs 607/tcp
asf-rmcp 623/udp
qmqp 628/tcp
ipp 631/tcp
ldp 646/tcp 646/udp
exec 512/tcp
biff 512/udp
login 513/tcp
who 513/udp
shell 514/tcp
syslog 514/udp
printer 515/tcp
talk 517/udp
ntalk 518/udp
route 520/udp
gdomap 538/tcp 538/udp
uucp 540/tcp
klogin 543/tcp
kshell 544/tcp
dhcpv6-client 546/udp
dhcpv6-server 547/udp
afpovertcp 548/tcp
nntps 563/tcp
submission 587/tcp
ldaps 636/tcp 636/udp
tinc 655/tcp 655/udp
silc 706/tcp
kerberos-adm 749/tcp
domain-s 853/tcp 853/udp
rsync 873/tcp
ftps-data 989/tcp
ftps 990/tcp
telnets 992/tcp
imaps 993/tcp
pop3s 995/tcp
socks 1080/tcp
proofd 1093/tcp
rootd 1094/tcp
openvpn 1194/tcp 1194/udp
rmiregistry 1099/tcp
lotusnote 1352/tcp
ms-sql-s 1433/tcp
ms-sql-m 1434/udp
ingreslock 1524/tcp
datametrics 1645/tcp 1645/udp
sa-msg-port 1646/tcp 1646/udp
kermit 1649/tcp
groupwise 1677/tcp
l2f 1701/udp
radius 1812/tcp 1812/udp
radius-acct 1813/tcp 1813/udp
cisco-sccp 2000/tcp
nfs 2049/tcp 2049/udp
gnunet 2086/tcp 2086/udp
rtcm-sc104 2101/tcp 2101/udp
gsigatekeeper 2119/tcp
gris 2135/tcp
cvspserver 2401/tcp
venus 2430/tcp 2430/udp
venus-se 2431/tcp 2431/udp
codasrv 2432/tcp 2432/udp
codasrv-se 2433/tcp 2433/udp
mon 2583/tcp 2583/udp
dict 2628/tcp
f5-globalsite 2792/tcp
gsiftp 2811/tcp
gpsd 2947/tcp
gds-db 3050/tcp
icpv2 3130/udp
isns 3205/tcp 3205/udp
iscsi-target 3260/tcp
mysql 3306/tcp
ms-wbt-server 3389/tcp
nut 3493/tcp 3493/udp
distcc 3632/tcp
daap 3689/tcp
svn 3690/tcp
suucp 4031/tcp
sysrqd 4094/tcp
sieve 4190/tcp
epmd 4369/tcp
remctl 4373/tcp
f5-iquery 4353/tcp
ntske 4460/tcp
ipsec-nat-t 4500/udp
iax 4569/udp
mtn 4691/tcp
radmin-port 4899/tcp
sip 5060/tcp 5060/udp
sip-tls 5061/tcp 5061/udp
xmpp-client 5222/tcp
xmpp-server 5269/tcp
cfengine 5308/tcp
mdns 5353/udp
postgresql 5432/tcp
freeciv 5556/tcp
amqps 5671/tcp
amqp 5672/tcp 5672/sctp
x11 6000/tcp
x11-1 6001/tcp
x11-2 6002/tcp
x11-3 6003/tcp
x11-4 6004/tcp
x11-5 6005/tcp
x11-6 6006/tcp
x11-7 6007/tcp
gnutella-svc 6346/tcp 6346/udp
gnutella-rtr 6347/tcp 6347/udp
redis 6379/tcp
sge-qmaster 6444/tcp
sge-execd 6445/tcp
mysql-proxy 6446/tcp
babel 6696/udp
ircs-u 6697/tcp
bbs 7000/tcp
afs3-fileserver 7000/udp
afs3-callback 7001/udp
afs3-prserver 7002/udp
afs3-vlserver 7003/udp
afs3-kaserver 7004/udp
afs3-volser 7005/udp
afs3-bos 7007/udp
afs3-update 7008/udp
afs3-rmtsys 7009/udp
font-service 7100/tcp
http-alt 8080/tcp
puppet 8140/tcp
bacula-dir 9101/tcp
bacula-fd 9102/tcp
bacula-sd 9103/tcp
xmms2 9667/tcp
nbd 10809/tcp
zabbix-agent 10050/tcp
zabbix-trapper 10051/tcp
amanda 10080/tcp
dicom 11112/tcp
hkp 11371/tcp
db-lsp 17500/tcp
dcap 22125/tcp
gsidcap 22128/tcp
wnn6 22273/tcp
kerberos4 750/udp 750/tcp
kerberos-master 751/udp 751/tcp
passwd-server 752/udp
krb-prop 754/tcp
zephyr-srv 2102/udp
zephyr-clt 2103/udp
zephyr-hm 2104/udp
iprop 2121/tcp
supfilesrv 871/tcp
supfiledbg 1127/tcp
poppassd 106/tcp
moira-db 775/tcp
moira-update 777/tcp
moira-ureg 779/udp
spamd 783/tcp
skkserv 1178/tcp
predict 1210/udp
rmtcfg 1236/tcp
xtel 1313/tcp
xtelw 1314/tcp
zebrasrv 2600/tcp
zebra 2601/tcp
ripd 2602/tcp
ripngd 2603/tcp
ospfd 2604/tcp
bgpd 2605/tcp
ospf6d 2606/tcp
ospfapi 2607/tcp
isisd 2608/tcp
fax 4557/tcp
hylafax 4559/tcp
munin 4949/tcp
rplay 5555/udp
nrpe 5666/tcp
nsca 5667/tcp
canna 5680/tcp
syslog-tls 6514/tcp
sane-port 6566/tcp
ircd 6667/tcp
zope-ftp 8021/tcp
tproxy 8081/tcp
omniorb 8088/tcp
clc-build-daemon 8990/tcp
xinetd 9098/tcp
git 9418/tcp
zope 9673/tcp
webmin 10000/tcp
kamanda 10081/tcp
amandaidx 10082/tcp
amidxtape 10083/tcp
sgi-cmsd 17001/udp
sgi-crsd 17002/udp
sgi-gcd 17003/udp
sgi-cad 17004/tcp
binkp 24554/tcp
asp 27374/tcp 27374/udp
csync2 30865/tcp
dircproxy 57000/tcp
tfido 60177/tcp
fido 60179/tcp
`;

const ADDITIONS = `
http-alt 81/tcp 8000/tcp 8008/tcp 8888/tcp
msrpc 135/udp
netbios-ns 137/tcp
netbios-dgm 138/tcp
netbios-ssn 139/udp
ntp 123/tcp
bgp 179/udp
irc 194/tcp 194/udp 6660/tcp 6661/tcp 6662/tcp 6663/tcp 6664/tcp 6665/tcp 6666/tcp 6668/tcp 6669/tcp 6667/udp
imap3 220/tcp 220/udp
https 443/sctp
microsoft-ds 445/udp
modbus 502/tcp
isakmp 500/tcp
syslog-tls 6514/udp
http-rpc-epmap 593/tcp 593/udp
ipp 631/udp
ldp 646/tcp
vmware-auth 902/tcp 902/udp
ftps-data 989/udp
ftps 990/udp
telnets 992/udp
imaps 993/udp
pop3s 995/udp
socks 1080/udp
nessus 1241/tcp 1241/udp
oracle 1521/tcp
l2tp 1701/tcp
h323hostcall 1720/tcp 1720/udp
pptp 1723/tcp 1723/udp
cisco-net-mgmt 1741/tcp 1741/udp
mqtt 1883/tcp 1883/udp
ssdp 1900/udp 1900/tcp
rtmp 1935/tcp
cisco-sccp 2000/udp
cpanel 2082/tcp 2083/tcp
whm 2087/tcp
cpanel-webmail 2095/tcp 2096/tcp
zookeeper 2181/tcp
ethernet-ip 2222/udp 44818/tcp 44818/udp
telnet-alt 2323/tcp
docker 2375/tcp 2376/tcp
etcd 2379/tcp 2380/tcp
xbox 3074/tcp 3074/udp
squid-http 3128/tcp
msft-gc 3268/tcp 3269/tcp
mysql 3306/udp
ms-wbt-server 3389/udp
stun 3478/tcp 3478/udp
teredo 3544/udp
apple-remote-desktop 3283/tcp 3283/udp
ws-discovery 3702/tcp 3702/udp
epmd 4369/udp
ipsec-nat-t 4500/tcp
cisco-smart-install 4786/tcp
upnp 5000/tcp
rtp 5004/tcp 5004/udp
rtcp 5005/tcp 5005/udp
xmpp-client 5223/tcp
google-play 5228/tcp
stuns 5349/tcp 5349/udp
nat-pmp 5351/udp 5351/tcp
llmnr 5355/udp 5355/tcp
postgresql 5432/udp
kibana 5601/tcp
coap 5683/udp
coaps 5684/udp
vnc-http 5800/tcp
vnc 5900/tcp 5900/udp 5901/tcp
teamviewer 5938/tcp 5938/udp
couchdb 5984/tcp
wsman 5985/tcp
wsmans 5986/tcp
kubernetes-api 6443/tcp
redis 6379/udp
bittorrent 6881/tcp 6881/udp 6882/udp 6883/udp 6884/udp 6885/udp 6886/udp 6887/udp 6888/udp 6889/udp
cwmp 7547/tcp
ajp13 8009/tcp
http-proxy 8080/udp
mikrotik-winbox 8291/tcp
https-alt 8443/tcp
secure-mqtt 8883/tcp 8883/udp
cassandra 9042/tcp
kafka 9092/tcp
jetdirect 9100/tcp
elasticsearch 9200/tcp 9300/tcp
zerotier 9993/udp
webmin 10000/udp
memcache 11211/tcp 11211/udp
minecraft 25565/tcp
mongodb 27017/tcp
http 80/udp
domain-s 853/udp
ms-sql-m 1434/tcp
ms-sql-s 1433/udp
radius 1812/udp
openvpn 1194/udp
spotify-connect 57621/udp 57621/tcp
steam 27015/udp 27036/udp
wireguard 51820/udp
db-lsp-disc 17500/udp
syncthing 22000/tcp 22000/udp
syncthing-discovery 21027/udp
mndp 5678/udp
`;

// proto → port → name; numeric keys so the per-flow lookup builds no string.
const table = new Map<string, Map<number, string>>();
let entries = 0;

function load(text: string): void {
  for (const line of text.split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2 || parts[0] === "") continue;
    const name = parts[0];
    for (let i = 1; i < parts.length; i++) {
      const slash = parts[i].indexOf("/");
      const port = Number(parts[i].slice(0, slash));
      const proto = parts[i].slice(slash + 1);
      let ports = table.get(proto);
      if (!ports) table.set(proto, ports = new Map());
      // The first name given for a port wins: netbase is loaded before the additions.
      if (!ports.has(port)) {
        ports.set(port, name);
        entries++;
      }
    }
  }
}

load(NETBASE);
load(ADDITIONS);

/** The service name of `port/proto` (proto lower-case), or undefined when none is known. */
export function serviceName(port: number, proto: string): string | undefined {
  const ports = table.get(proto) ?? table.get(proto.toLowerCase());
  return ports?.get(port);
}

/** How many `port/proto` pairs the table knows; for tests and diagnostics. */
export function serviceCount(): number {
  return entries;
}

/** A port an organisation's software is known to use, and where its servers are (if listed). */
export interface OrgPortUse {
  /** Lower-case organisation name, as it appears in domain names and AS names (e.g. "apple"). */
  org: string;
  /** The product using the port, for descriptions. */
  product: string;
  /** The organisation's server addresses (IPs or CIDRs) for this port; empty when not pinned. */
  ranges: readonly string[];
}

// Each line: org, product, ports (a port or a from-to range), proto, then optional IPs/CIDRs.
// Sources are the vendors' own firewall guides (ports to allow for their products).
const ORG_PORTS = `
microsoft Teams 3478-3481 udp 13.107.64.0/18 52.112.0.0/14 52.120.0.0/14
microsoft DeliveryOptimization 7680 tcp
microsoft Teredo 3544 udp
google Meet 19302-19309 udp
google Meet 19302-19309 tcp
google FirebaseMessaging 5228-5230 tcp
apple PushNotifications 5223 tcp
apple PushNotifications 2195-2197 tcp
apple FaceTime 3478-3497 udp
apple FaceTime 16384-16403 udp
apple GameCenter 4398 udp
apple RemoteDesktop 3283 udp
apple AirPlay 7000 tcp
apple AirPlay 7100 tcp
apple AirPlay 49152-65535 tcp 17.0.0.0/8
facebook WhatsApp 3478 udp
facebook WhatsApp 4244 tcp
facebook WhatsApp 5222 tcp
facebook WhatsApp 5242 tcp
facebook WhatsApp 45395 udp
viber Viber 4244 tcp
viber Viber 4244 udp
viber Viber 5242-5243 tcp
viber Viber 5242-5243 udp
viber Viber 7985 tcp
viber Viber 7985 udp
zoom Meetings 8801-8810 udp
zoom Meetings 8801-8802 tcp
zoom Meetings 3478-3479 udp
spotify Client 4070 tcp 78.31.8.0/21
eset LiveGrid 53535 udp
kaspersky SecurityNetwork 1443 tcp
valve Steam 27000-27100 udp
valve Steam 27015-27050 tcp
cloudflare WARP 2408 udp 162.159.192.0/22
dropbox LanSync 17500 udp
`;

interface OrgPortRange extends OrgPortUse {
  from: number;
  to: number;
  proto: string;
}

const orgPortRanges: OrgPortRange[] = [];
for (const line of ORG_PORTS.split("\n")) {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 4) continue;
  const [org, product, ports, proto, ...ranges] = parts;
  const dash = ports.indexOf("-");
  const from = Number(dash < 0 ? ports : ports.slice(0, dash));
  const to = dash < 0 ? from : Number(ports.slice(dash + 1));
  orgPortRanges.push({ org, product, ranges, from, to, proto });
}

/**
 * The organisations known to use `port/proto`, or undefined when none is. The unknown-port check
 * exempts a flow when its destination belongs to one of them.
 */
export function orgPort(port: number, proto: string): readonly OrgPortUse[] | undefined {
  const p = proto.toLowerCase();
  let found: OrgPortUse[] | undefined;
  for (const r of orgPortRanges) {
    if (r.proto === p && port >= r.from && port <= r.to) {
      (found ??= []).push({ org: r.org, product: r.product, ranges: r.ranges });
    }
  }
  return found;
}
