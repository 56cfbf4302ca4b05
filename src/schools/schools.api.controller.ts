import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, Roles } from '../common/decorators/access.decorators';
import { CoordinatorsDto, CreateSchoolDto, ListSchoolsQuery } from './dto/school.dto';
import type { School } from './school.entities';
import { SchoolsService } from './schools.service';

const toSchoolJson = (s: School, municipality?: string) => ({
  id: s.id,
  name: s.name,
  code: s.code,
  countryCode: s.countryCode,
  municipalityId: s.municipalityId,
  municipality: municipality ?? null,
  level: s.level,
  address: s.address,
});

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/v1')
export class SchoolsApiController {
  constructor(private readonly schools: SchoolsService) {}

  @Post('schools')
  @Roles('admin', 'manager')
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateSchoolDto) {
    return toSchoolJson(await this.schools.create(actor, dto), dto.municipality);
  }

  @Get('schools')
  @Authenticated()
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListSchoolsQuery) {
    const page = await this.schools.list(actor, query);
    const municipalities = new Map(
      (await this.schools.municipalitiesByIds([...new Set(page.items.map((s) => s.municipalityId))])).map(
        (m) => [m.id, m.name],
      ),
    );
    return {
      items: page.items.map((s) => toSchoolJson(s, municipalities.get(s.municipalityId))),
      total: page.total,
    };
  }

  @Get('schools/:id')
  @Authenticated()
  async get(@CurrentUser() actor: AuthUser, @Param('id') id: string) {
    const school = await this.schools.get(actor, id);
    const [municipality] = await this.schools.municipalitiesByIds([school.municipalityId]);
    const coordinators = (await this.schools.coordinatorsOf([id])).map((c) => ({
      userId: c.user.id,
      name: c.user.name,
    }));
    return { ...toSchoolJson(school, municipality?.name), coordinators };
  }

  @Put('schools/:id/coordinators')
  @Roles('admin', 'manager')
  @HttpCode(200)
  async coordinators(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Body() dto: CoordinatorsDto) {
    await this.schools.setCoordinators(actor, id, dto.userIds);
    return { schoolId: id, userIds: [...new Set(dto.userIds)] };
  }

  @Get('countries')
  @Authenticated()
  async countries() {
    const items = (await this.schools.countries()).map((c) => ({
      code: c.code,
      name: { en: c.nameEn, es: c.nameEs },
    }));
    return { items, total: items.length };
  }

  @Get('municipalities')
  @Authenticated()
  async municipalities(@CurrentUser() actor: AuthUser, @Query() query: ListSchoolsQuery) {
    const items = (await this.schools.municipalities(actor, query.countryCode)).map((m) => ({
      id: m.id,
      countryCode: m.countryCode,
      name: m.name,
    }));
    return { items, total: items.length };
  }
}
