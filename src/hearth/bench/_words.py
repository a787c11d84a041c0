"""Word lists the task lint reads replies with: common words, and words replies often use.

Both are small and hand-made on purpose (no download, no dependency): the lint
only needs to know that "the" is too common to prove an answer, and that "red"
sits inside "stored" and "hundred".
"""

from __future__ import annotations

_COMMON = """
a about after again all also am an and any are as at back be because been before being
both but by can could day did do does done down each even every few first for from get
give go good great had has have he her here him his how i if in into is it its just know
last like little long make many may me more most much must my new no not now of off old
on once one only or other our out over own right said same say see she should so some
still such take than that the their them then there these they thing think this those
time to too two under up us use very want was way we well were what when where which
while who why will with would yes yet you your
"""

_REPLY = """
able absolutely access account actually add added address afternoon again ago agreed
alarm already although always amount another answer anything anyway appointment around
arrive assistant available away background balance based basically bedroom believe
below best better between birthday booked bored bottle breakfast bring brother budget
called calling calendar cannot care careful certainly chance change check checked
children choose city clear colder coloured comfortable coming company completed
concerned confirm congratulations contact continue correct could country covered coward
created credit current currently daughter dear delivered depends description details
different dinner directions discover distance doctor document dollars double downtown
during earlier easier either else email enjoy enough entered euros evening exactly
example expected explain family father favourite featured feel figured final finally
find fine finish follow followed following forecast forget forward found friday friend
friends fundamental further garden general glad going great greeted happy hello help
helpful here hereby history holiday home hope hopefully hospital hour hours however
hundred hundreds hungry idea important information inspired interested instead internet
island joined kindly kitchen knowledge known later learn left lesson letter light
likely listen living located location lovely lunch manner mentioned message minute
minutes mister monday money month months morning moscow mother moved music name named
nearby needed neighbour never nice night nobody normally nothing notice number offered
office often okay order ordered other others otherwise outside own parents partner
party people perhaps person phone picture place planned pleasure possible powered
prepared pretty price probably problem provided question quite rather ready really
reason received recommend remember remind reminder reply reported request required
respond restaurant result return right room said saturday saved schedule scheduled
school second secured send sent service shared shopping short should similar simply
since sister somebody someone something sometimes soon sorry sound special started
stored street studied suggest sunday sure sweet table thank thanks their there thing
things think thousand through thursday today together tomorrow tonight totally train
travel tried tuesday understand unfortunately unless until updated usually vacation
value various visit waiting wanted weather wednesday week weekend welcome whatever
wonderful word work worried would write wrong yesterday yourself
"""

#: Words so common that finding one in a reply proves nothing about the answer.
COMMON_WORDS: frozenset[str] = frozenset(_COMMON.split())
#: Words typical assistant replies use, beyond the tasks' own words: where a
#: substring match lands inside another word ("red" in "stored", "cow" in "Moscow").
REPLY_WORDS: frozenset[str] = frozenset(_REPLY.split())
